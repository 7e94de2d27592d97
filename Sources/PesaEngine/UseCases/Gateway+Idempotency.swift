import Crypto
import Foundation
public import PesaCore
import PesaStore

/// The first answer to a creating request that is not a payment, kept for `Limits.idempotencyWindowMs`.
public struct StoredAnswer: Sendable, Equatable {
    public let statusCode: Int
    public let body: String

    public init(statusCode: Int, body: String) {
        self.statusCode = statusCode
        self.body = body
    }
}

/// Where a creating request's first answer is journaled: in its organization's folder, or in `system/` for
/// what belongs to no organization yet (`POST /v1/orgs`).
public enum AnswerPlace: Sendable, Equatable {
    case organization(OrganizationID)
    case system

    var folderID: String {
        switch self {
        case .organization(let id): id.rawValue
        case .system: "system"
        }
    }
}

extension Gateway {
    /// The prefix of a journaled answer that holds a secret (an API key, a callback URL's token): the rest is
    /// a vault envelope, sealed under the folder's vault key (data-layout.md, `idempotency.recorded`). A plain
    /// answer is JSON and starts with `{`.
    static let sealedAnswerPrefix = "sealed:"

    private func answerEngine(_ place: AnswerPlace) async throws(EngineError) -> TenantEngine {
        switch place {
        case .organization(let id): try await engine(id)
        case .system: system
        }
    }

    /// The first answer to this `Idempotency-Key` on route `scope`, if there is one; 409 when the key came
    /// with another request, or when a sealed answer no longer opens (the master key was rotated since).
    /// Payments keep their key on their row instead (`initiate`).
    public func storedAnswer(scope: String, idempotency: IdempotencyInput, in place: AnswerPlace)
        async throws(EngineError) -> StoredAnswer?
    {
        let engine = try await answerEngine(place)
        let nowMs = clock.nowMs()
        let stored = try await engine.read { (state) throws(EngineError) -> StoredAnswer? in
            let match = state.idempotency(
                scope: scope, key: idempotency.key, requestHash: idempotency.requestHash, nowMs: nowMs)
            switch match {
            case .new: return nil
            case .replay(let record): return StoredAnswer(statusCode: Int(record.statusCode), body: record.responseBody)
            case .conflict:
                throw EngineError(
                    .idempotencyKeyReused, "Idempotency-Key was used with another request", param: "Idempotency-Key")
            }
        }
        guard let stored, stored.body.hasPrefix(Self.sealedAnswerPrefix) else { return stored }
        let envelope = Array(stored.body.utf8.dropFirst(Self.sealedAnswerPrefix.utf8.count))
        guard let body = try? CredentialVault(masterKey: masterKey).open(envelope, tenantID: place.folderID) else {
            throw EngineError(
                .idempotencyKeyReused,
                "the first answer to this Idempotency-Key can no longer be read (the master key was rotated); "
                    + "send the request with a new Idempotency-Key", param: "Idempotency-Key")
        }
        return StoredAnswer(statusCode: stored.statusCode, body: String(decoding: body, as: UTF8.self))
    }

    /// Journals the first answer to a creating request, so the same key and body get it again. An answer that
    /// holds a secret is journaled `sealed` (encrypted under the folder's vault key); any other is journaled
    /// as it is.
    public func storeAnswer(
        _ answer: StoredAnswer, sealed: Bool, scope: String, idempotency: IdempotencyInput, resourceID: String?,
        in place: AnswerPlace
    ) async throws(EngineError) {
        var body = answer.body
        if sealed {
            let envelope = CredentialVault(masterKey: masterKey).seal(Array(body.utf8), tenantID: place.folderID)
            body = Self.sealedAnswerPrefix + String(decoding: envelope.dropLast(), as: UTF8.self)
        }
        let event = TenantEvent.idempotencyRecorded(.init(
            key: idempotency.key, requestHash: idempotency.requestHash, scope: scope, resourceID: resourceID,
            statusCode: Int64(answer.statusCode), responseBody: body))
        try await answerEngine(place).execute { (_, _) throws(EngineError) in Decision(events: [event], value: ()) }
    }

    /// A request hash that cannot be checked against a guess without the master key: for a body that holds
    /// a password (`POST /v1/orgs/{id}/users`), whose plain SHA-256 in the journal would let anyone with a
    /// copy of the folder test passwords offline. Hex HMAC-SHA256 under a key derived from the master key.
    public func keyedRequestHash(_ bytes: some Sequence<UInt8>) -> String {
        let key = masterKey.derivedKey(purpose: "idempotency-request-hash", context: "")
        return Hex.encodeString(HMAC<SHA256>.authenticationCode(for: Array(bytes), using: key))
    }
}
