public import PesaCore
import PesaStore

/// One entry of a payment's timeline, read from the journal.
public struct PaymentTimelineEntry: Sendable, Equatable {
    public let seq: UInt64
    public let atMs: Int64
    /// The journal event type (`payment.stk_requested`, `callback.received`, `payment.settled`, ...).
    public let type: String
    /// The status it settled to, for `payment.settled`; the callback kind, for `callback.received`.
    public let detail: String?
    /// A callback's body as it came (what Daraja sent: no secret of ours); nil for every other entry.
    public var body: String? = nil
}

extension Gateway {
    static let timelineTypes: Set<String> = [
        "payment.stk_requested", "payment.b2c_requested", "payment.reversal_requested", "payment.c2b_received",
        "payment.accepted", "payment.upstream_failed", "callback.received", "payment.settled",
        "payment.reconcile_attempted", "query.sent",
    ]

    /// A payment and every journaled event about it, oldest first. Only the journal range the state
    /// recorded for the payment is read.
    public func paymentWithTimeline(_ id: PaymentID, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> (Payment, [PaymentTimelineEntry])
    {
        try actor.authorize(.readPayment, in: organization)
        let engine = try await self.engine(organization)
        let payment = try await payment(id, engine: engine)
        let last = payment.lastEventSeq ?? payment.firstEventSeq
        let records: [JournalRecord]
        do {
            let span = Int(min(last - payment.firstEventSeq + 1, UInt64(Limits.timelineEventsMax)))
            records = try await engine.store.records(
                types: Self.timelineTypes, afterSeq: payment.firstEventSeq - 1, limit: span
            ).records
        } catch {
            throw EngineError.from(error)
        }
        let entries = records.compactMap { record -> PaymentTimelineEntry? in
            guard record.seq <= last, let event = try? TenantEvent(type: record.type, data: record.data),
                event.paymentID == id
            else { return nil }
            let detail: String? =
                switch event {
                case .paymentSettled(let settled): settled.status.rawValue
                case .callbackReceived(let callback): callback.kind.rawValue
                case .paymentUpstreamFailed(let failed): failed.errorCode
                case .querySent(let query): query.kind.rawValue
                default: nil
                }
            var body: String?
            if case .callbackReceived(let callback) = event { body = callback.body }
            return PaymentTimelineEntry(
                seq: record.seq, atMs: record.atMs, type: record.type, detail: detail, body: body)
        }
        return (payment, entries)
    }
}
