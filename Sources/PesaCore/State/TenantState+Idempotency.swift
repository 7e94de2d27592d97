extension TenantState {
    /// A payment-creating request with `key` and `requestHash` at `nowMs`: the payment it repeats, if any.
    /// Keys older than `Limits.idempotencyWindowMs` are forgotten.
    public func paymentIdempotency(key: String, requestHash: String, nowMs: Int64) -> IdempotencyMatch<Payment> {
        guard let row = payments.row(forIdempotencyKey: key) else { return .new }
        let prior = payments.payment(at: row)
        guard nowMs - prior.createdAtMs < Limits.idempotencyWindowMs else { return .new }
        return prior.requestHash == requestHash ? .replay(prior) : .conflict
    }

    /// Any other creating request, by route `scope`.
    public func idempotency(
        scope: String, key: String, requestHash: String, nowMs: Int64
    ) -> IdempotencyMatch<IdempotencyRecord> {
        guard let record = idempotencyRecord(scope: scope, key: key), record.isLive(nowMs: nowMs) else { return .new }
        return record.requestHash == requestHash ? .replay(record) : .conflict
    }
}

extension TenantState {
    /// Drops the answers no longer replayed at `nowMs` (once per `Limits.idempotencyPruneEveryMs`, from `apply`).
    mutating func pruneIdempotency(nowMs: Int64) {
        guard idempotency.values.contains(where: { !$0.isLive(nowMs: nowMs) }) else { return }
        idempotency = idempotency.filter { $0.value.isLive(nowMs: nowMs) }
    }
}
