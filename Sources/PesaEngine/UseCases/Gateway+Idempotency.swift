import Crypto
import Foundation
public import PesaCore
import PesaStore

/// The first answer to a creating request that is not a payment, kept for `Limits.idempotencyWindowMs`.
public struct StoredAnswer: Sendable, Equatable {
    public let statusCode: Int
    public let body: String
    /// The id of what the request created.
    public let resourceID: String?

    public init(statusCode: Int, body: String, resourceID: String? = nil) {
        self.statusCode = statusCode
        self.body = body
        self.resourceID = resourceID
    }
}

/// Where a creating request's first answer is journaled: in its organization's folder, or in `system/` for
/// what belongs to no organization yet (`POST /v1/orgs`).
public enum AnswerPlace: Sendable, Equatable {
    case organization(OrganizationID)
    case system
}

extension Gateway {
    private func answerEngine(_ place: AnswerPlace) async throws(EngineError) -> TenantEngine {
        switch place {
        case .organization(let id): try await engine(id)
        case .system: system
        }
    }

    /// The scope a creating request's key lives in: the route and the caller, so that nobody is answered
    /// with what another caller created (an API key's id, a user) by sending the same key and body.
    public static func idempotencyScope(_ route: String, actor: Actor) -> String { "\(route) by \(actor.id)" }

    /// The first answer to this `Idempotency-Key` in `scope`, if there is one; 409 when the key came with
    /// another request. Payments keep their key on their row instead (`initiate`).
    public func storedAnswer(scope: String, idempotency: IdempotencyInput, in place: AnswerPlace)
        async throws(EngineError) -> StoredAnswer?
    {
        let engine = try await answerEngine(place)
        let nowMs = clock.nowMs()
        let masterKeyID = masterKey.id
        return try await engine.read { (state) throws(EngineError) -> StoredAnswer? in
            try Self.firstAnswer(idempotency, scope: scope, in: state, nowMs: nowMs, masterKeyID: masterKeyID)
        }
    }

    /// The first answer to `idempotency` in `scope` as `state` has it: nil when the key is new (or past its
    /// window), 409 when it came with another request. Read by `storedAnswer`, and inside the engine commands
    /// that journal the key in what they create (users, API keys), so both see the key the same way.
    static func firstAnswer(
        _ idempotency: IdempotencyInput, scope: String, in state: TenantState, nowMs: Int64, masterKeyID: String
    ) throws(EngineError) -> StoredAnswer? {
        let match = state.idempotency(
            scope: scope, key: idempotency.key, requestHash: idempotency.requestHash, nowMs: nowMs)
        return try answer(
            match, stored: state.idempotencyRecord(scope: scope, key: idempotency.key), masterKeyID: masterKeyID)
    }

    /// What a match means; a keyed request hash made under another master key (`keyedRequestHash`) cannot be
    /// compared, which the 409 says instead of "another request".
    static func answer(
        _ match: IdempotencyMatch<IdempotencyRecord>, stored: IdempotencyRecord?, masterKeyID: String
    ) throws(EngineError) -> StoredAnswer? {
        switch match {
        case .new:
            return nil
        case .replay(let record):
            return StoredAnswer(
                statusCode: Int(record.statusCode), body: record.responseBody, resourceID: record.resourceID)
        case .conflict:
            if let hash = stored?.requestHash, hash.hasPrefix(keyedHashPrefix),
                !hash.hasPrefix(keyedHashPrefix + masterKeyID + ":")
            {
                throw EngineError(
                    .idempotencyKeyReused,
                    "this Idempotency-Key was first used under a master key since rotated, so the requests cannot "
                        + "be compared; send the request with a new Idempotency-Key", param: "Idempotency-Key")
            }
            throw EngineError(
                .idempotencyKeyReused, "Idempotency-Key was used with another request", param: "Idempotency-Key")
        }
    }

    /// Journals the first answer to a creating request, so the same key and body get it again. The body is
    /// journaled as it is, so it must hold no secret.
    public func storeAnswer(
        _ answer: StoredAnswer, scope: String, idempotency: IdempotencyInput, in place: AnswerPlace
    ) async throws(EngineError) {
        let event = TenantEvent.idempotencyRecorded(.init(
            key: idempotency.key, requestHash: idempotency.requestHash, scope: scope, resourceID: answer.resourceID,
            statusCode: Int64(answer.statusCode), responseBody: answer.body))
        try await answerEngine(place).execute { (_, _) throws(EngineError) in Decision(events: [event], value: ()) }
    }

    static let keyedHashPrefix = "hmac:"

    /// A request hash that cannot be checked against a guess without the master key: for a body that holds
    /// a password (`POST /v1/orgs/{id}/users`), whose plain SHA-256 in the journal would let anyone with a
    /// copy of the folder test passwords offline. `hmac:<master key id>:` and the hex HMAC-SHA256 under a key
    /// derived from the master key.
    public func keyedRequestHash(_ bytes: some Sequence<UInt8>) -> String {
        let key = masterKey.derivedKey(purpose: "idempotency-request-hash", context: "")
        let code = HMAC<SHA256>.authenticationCode(for: Array(bytes), using: key)
        return Self.keyedHashPrefix + masterKey.id + ":" + Hex.encodeString(code)
    }
}

extension IdempotencyInput {
    /// The key as a creating event carries it (`user.created`, `api_key.created`).
    func stamp(scope: String) -> TenantEvent.IdempotencyStamp {
        TenantEvent.IdempotencyStamp(key: key, requestHash: requestHash, scope: scope)
    }
}
