public import PesaCore

/// The first answer to a creating request that is not a payment, kept for `Limits.idempotencyWindowMs`.
public struct StoredAnswer: Sendable, Equatable {
    public let statusCode: Int
    public let body: String

    public init(statusCode: Int, body: String) {
        self.statusCode = statusCode
        self.body = body
    }
}

extension Gateway {
    /// The first answer to this `Idempotency-Key` on route `scope`, if there is one; 409 when the key came
    /// with another request. Payments keep their key on their row instead (`initiate`).
    public func storedAnswer(scope: String, idempotency: IdempotencyInput, in organization: OrganizationID)
        async throws(EngineError) -> StoredAnswer?
    {
        let engine = try await self.engine(organization)
        let nowMs = clock.nowMs()
        return try await engine.read { (state) throws(EngineError) -> StoredAnswer? in
            switch state.idempotency(scope: scope, key: idempotency.key, requestHash: idempotency.requestHash, nowMs: nowMs) {
            case .new: return nil
            case .replay(let record): return StoredAnswer(statusCode: Int(record.statusCode), body: record.responseBody)
            case .conflict:
                throw EngineError(.idempotencyKeyReused, "Idempotency-Key was used with another request", param: "Idempotency-Key")
            }
        }
    }

    /// Journals the first answer to a creating request, so the same key and body get it again. The body must
    /// hold no secret (it is journaled as it is).
    public func storeAnswer(
        _ answer: StoredAnswer, scope: String, idempotency: IdempotencyInput, resourceID: String?,
        in organization: OrganizationID
    ) async throws(EngineError) {
        let event = TenantEvent.idempotencyRecorded(.init(
            key: idempotency.key, requestHash: idempotency.requestHash, scope: scope, resourceID: resourceID,
            statusCode: Int64(answer.statusCode), responseBody: answer.body))
        try await engine(organization).execute { (_, _) throws(EngineError) in Decision(events: [event], value: ()) }
    }
}
