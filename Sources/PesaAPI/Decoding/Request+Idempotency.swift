public import Hummingbird
import Crypto
import Foundation
import HTTPTypes
import NIOCore
import PesaCore

/// A decoded JSON body with a hash of its canonical form, for idempotency: the engine stores the key and this
/// hash, and answers 409 `IDEMPOTENCY_KEY_REUSED` when the same key comes with another body.
public struct HashedBody<Value: Sendable>: Sendable {
    public let value: Value
    /// Hex SHA-256, or the keyed hash a body with a password gets (`Gateway.keyedRequestHash`).
    public let requestHash: String
}

extension Request {
    /// The `Idempotency-Key` header: nil when absent; 422 naming `Idempotency-Key` when empty, longer than
    /// `Limits.idempotencyKeyCharactersMax` or not printable ASCII.
    public func idempotencyKey() throws(APIError) -> String? {
        guard let key = headers[.idempotencyKey] else { return nil }
        guard Self.isPrintableASCII(key, bytesMax: Limits.idempotencyKeyCharactersMax) else {
            throw .invalidField(
                "Idempotency-Key",
                "Idempotency-Key must be 1 to \(Limits.idempotencyKeyCharactersMax) printable ASCII characters")
        }
        return key
    }

    /// 1 to `bytesMax` bytes, each printable ASCII without space (`!` to `~`): an idempotency key, an audit
    /// filter's id or action name.
    static func isPrintableASCII(_ text: String, bytesMax: Int) -> Bool {
        (1...bytesMax).contains(text.utf8.count) && text.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }

    /// `decodeJSON`, plus the hash (SHA-256 unless `hash` says otherwise) of the request's canonical form (the
    /// decoded fields re-encoded with sorted keys): what `Idempotency-Key` compares, so spacing and key order
    /// do not make "another body".
    public func decodeHashedJSON<T: Codable & Sendable>(
        as type: T.Type = T.self, context: PesaRequestContext,
        hash: (([UInt8]) -> String)? = nil
    ) async throws -> HashedBody<T> {
        let buffer = try await collectBody(context: context)
        let value = try JSONBody.decode(T.self, from: Data(buffer.readableBytesView))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let canonical = try? encoder.encode(value) else { throw APIError.internalError() }
        let requestHash = hash?(Array(canonical)) ?? Hex.encodeString(SHA256.hash(data: canonical))
        return HashedBody(value: value, requestHash: requestHash)
    }
}
