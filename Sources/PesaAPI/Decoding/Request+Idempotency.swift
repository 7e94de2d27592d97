public import Hummingbird
import Crypto
import Foundation
import HTTPTypes
import NIOCore
import PesaCore

/// A decoded JSON body with the hex SHA-256 of its exact bytes, for idempotency: the engine stores the key
/// and this hash, and answers 409 `IDEMPOTENCY_KEY_REUSED` when the same key comes with another body.
public struct HashedBody<Value: Sendable>: Sendable {
    public let value: Value
    public let sha256: String
}

extension Request {
    /// The `Idempotency-Key` header: nil when absent; 422 naming `Idempotency-Key` when empty, longer than
    /// `Limits.idempotencyKeyCharactersMax` or not printable ASCII.
    public func idempotencyKey() throws(APIError) -> String? {
        guard let key = headers[.idempotencyKey] else { return nil }
        let bytes = key.utf8
        guard !bytes.isEmpty, bytes.count <= Limits.idempotencyKeyCharactersMax,
            bytes.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E })
        else {
            throw .invalidField(
                "Idempotency-Key",
                "Idempotency-Key must be 1 to \(Limits.idempotencyKeyCharactersMax) printable ASCII characters")
        }
        return key
    }

    /// `decodeJSON`, plus the SHA-256 of the request's canonical form (the decoded fields re-encoded with
    /// sorted keys): what `Idempotency-Key` compares, so spacing and key order do not make "another body".
    public func decodeHashedJSON<T: Codable & Sendable>(
        as type: T.Type = T.self, context: PesaRequestContext
    ) async throws -> HashedBody<T> {
        let buffer = try await collectBody(context: context)
        let value = try JSONBody.decode(T.self, from: Data(buffer.readableBytesView))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let canonical = try? encoder.encode(value) else { throw APIError.internalError() }
        return HashedBody(value: value, sha256: Hex.encode(SHA256.hash(data: canonical)))
    }
}
