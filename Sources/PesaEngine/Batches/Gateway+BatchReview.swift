public import PesaCore

extension Gateway {
    /// An org_admin other than the creator, logged in (not an API key), lets a batch awaiting approval go out
    /// (maker-checker). The creator is refused (403) whatever their role; an approval past
    /// `Limits.batchApprovalWindowMs` is refused (409) and the batch is journaled `expired`.
    public func approvePayoutBatch(_ id: BatchID, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> BatchRecord
    {
        try await review(id, change: .approved, reason: nil, action: .approvePayoutBatch, in: organization, by: actor)
    }

    /// An org_admin refuses a batch awaiting approval: nothing is sent, every row is `skipped`.
    public func rejectPayoutBatch(_ id: BatchID, reason: String?, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> BatchRecord
    {
        try await review(id, change: .rejected, reason: reason, action: .rejectPayoutBatch, in: organization, by: actor)
    }

    private func review(
        _ id: BatchID, change: TenantEvent.BatchChange, reason: String?, action: Action,
        in organization: OrganizationID, by actor: Actor
    ) async throws(EngineError) -> BatchRecord {
        try actor.authorize(action, in: organization)
        // Maker-checker is between people: an API key (which any admin can make) neither approves nor rejects.
        guard !actor.id.hasPrefix(APIKeyIDKind.prefix + "_") else {
            throw EngineError(.forbidden, "a batch is approved or rejected by an org_admin's login, not an API key")
        }
        let engine = try await self.engine(organization)
        let expired = try await engine.execute { (state, context) throws(EngineError) -> Decision<Bool> in
            let batch = try Self.batch(id, in: state)
            guard batch.review == .pending else {
                throw EngineError(.conflict, "batch \(id) is \(batch.status.rawValue), not awaiting approval")
            }
            if let expiry = batch.approvalExpiresAtMs, context.nowMs >= expiry {
                let event = TenantEvent.batchChanged(
                    .init(
                        batchID: id, change: .expired, actor: "system", reason: "no approval within 24 hours"))
                return Decision(events: [event], value: true)
            }
            if change == .approved, batch.createdBy == actor.id {
                throw EngineError(
                    .forbidden, "the creator of batch \(id) may not approve it: another org_admin must (maker-checker)")
            }
            let event = TenantEvent.batchChanged(.init(batchID: id, change: change, actor: actor.id, reason: reason))
            return Decision(
                events: [event, actor.audit("payout_batch.\(change.rawValue)", target: id.rawValue)],
                value: false)
        }
        if expired {
            throw EngineError(.conflict, "batch \(id) waited more than 24 hours for approval and is expired")
        }
        return try await engine.read { (state) throws(EngineError) in try Self.batch(id, in: state) }
    }

    /// Stops a batch: rows not yet sent become `skipped`; rows already sent settle as usual.
    public func cancelPayoutBatch(_ id: BatchID, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> BatchRecord
    {
        try actor.authorize(.cancelPayoutBatch, in: organization)
        let engine = try await self.engine(organization)
        return try await engine.execute { (state, _) throws(EngineError) -> Decision<Void> in
            let batch = try Self.batch(id, in: state)
            switch batch.status {
            case .awaitingApproval, .queued, .sending: break
            default: throw EngineError(.conflict, "batch \(id) is \(batch.status.rawValue): nothing left to cancel")
            }
            let event = TenantEvent.batchChanged(.init(batchID: id, change: .cancelled, actor: actor.id))
            return Decision(events: [event, actor.audit("payout_batch.cancel", target: id.rawValue)], value: ())
        } thenRead: { (state, _) throws(EngineError) in
            try Self.batch(id, in: state)
        }
    }

    /// Queues again the rows that failed before reaching Daraja or with a retryable result code
    /// (`BatchRetry`); each goes out as a new payout linked to its row. Other failures would fail again.
    public func retryFailedPayoutBatch(_ id: BatchID, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> BatchRecord
    {
        try actor.authorize(.retryPayoutBatch, in: organization)
        let engine = try await self.engine(organization)
        return try await engine.execute { (state, _) throws(EngineError) -> Decision<Void> in
            let batch = try Self.batch(id, in: state)
            guard batch.mayBeSent else {
                throw EngineError(.conflict, "batch \(id) is \(batch.status.rawValue): its rows are not sent again")
            }
            let items = batch.retryableItems
            guard !items.isEmpty else {
                throw EngineError(.conflict, "batch \(id) has no row that failed in a way a retry may cure")
            }
            let event = TenantEvent.batchChanged(
                .init(
                    batchID: id, change: .itemsRetried, actor: actor.id, items: items.map(Int64.init)))
            return Decision(events: [event, actor.audit("payout_batch.retry_failed", target: id.rawValue)], value: ())
        } thenRead: { (state, _) throws(EngineError) in
            try Self.batch(id, in: state)
        }
    }

    /// One batch of the organization; another organization's is a 404, as if it did not exist.
    public func payoutBatch(_ id: BatchID, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> BatchRecord
    {
        try actor.authorize(.readPayoutBatch, in: organization)
        return try await engine(organization).read { (state) throws(EngineError) in try Self.batch(id, in: state) }
    }

    /// The organization's batches, newest first, from `offset`.
    public func payoutBatches(in organization: OrganizationID, offset: Int, limit: Int, by actor: Actor)
        async throws(EngineError) -> (batches: [BatchRecord], hasMore: Bool)
    {
        try actor.authorize(.readPayoutBatch, in: organization)
        return try await engine(organization).read { state in
            let all = state.batchesNewestFirst
            let page = Array(all.dropFirst(offset).prefix(limit))
            return (page, all.count > offset + page.count)
        }
    }

    public func payoutBatchSettings(in organization: OrganizationID, by actor: Actor) async throws(EngineError)
        -> BatchSettings
    {
        try actor.authorize(.readPayoutBatch, in: organization)
        return try await engine(organization).read { state in state.batchSettings ?? BatchSettings() }
    }

    /// Saves the organization's batch rules (audited).
    public func savePayoutBatchSettings(_ settings: BatchSettings, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> BatchSettings
    {
        try actor.authorize(.updatePayoutBatchSettings, in: organization)
        if settings.approval == .above, settings.approvalAbove == nil {
            throw EngineError.invalid("approval_above", "approval above needs approval_above (shillings)")
        }
        if let above = settings.approvalAbove, above.minorUnits < 0 {
            throw EngineError.invalid("approval_above", "approval_above must not be negative")
        }
        let engine = try await self.engine(organization)
        try await engine.execute { (_, _) throws(EngineError) in
            Decision(
                events: [
                    .batchSettingsSaved(settings), actor.audit("payout_batch.settings", target: organization.rawValue),
                ],
                value: ())
        }
        return settings
    }

    static func batch(_ id: BatchID, in state: TenantState) throws(EngineError) -> BatchRecord {
        guard let batch = state.batches[id] else { throw EngineError.notFound("batch") }
        return batch
    }
}
