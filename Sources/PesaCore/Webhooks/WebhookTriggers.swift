/// Which webhook events a command's journal lines give rise to. The engine asks `before` just ahead of applying
/// a command's events and `fired` right after, and journals one `webhook.event_created` per answer in the same
/// write: an event exists exactly when the change it tells of is durable.
///
/// - A payment's status becoming final: `payment.succeeded|failed|cancelled|timeout` (STK push, C2B),
///   `payout.succeeded|failed` (B2C; cancelled and timeout count as failed), `reversal.completed` (a reversal
///   that succeeded). `unknown` is not final: nothing is sent until a person or a late result settles it.
/// - `c2b.received` for a C2B payment recorded; `balance.updated` for new balances;
///   `batch.completed` when a batch's last row settles; `invoice.finalized` and `invoice.paid` when an invoice
///   becomes `open` or `paid`; `subscription.updated` for every subscription change.
public enum WebhookTriggers {
    /// The statuses the events may change, as they were.
    public struct Before: Sendable {
        var payments: [PaymentID: PaymentStatus] = [:]
        var batches: [BatchID: BatchStatus] = [:]
        var invoices: [InvoiceID: InvoiceStatus] = [:]
    }

    /// One event to create.
    public struct Fired: Sendable, Equatable {
        public var type: WebhookEventType
        public var subject: WebhookSubjectKind
        public var subjectID: String?
    }

    public static func before(_ events: [TenantEvent], in state: TenantState) -> Before {
        var before = Before()
        for event in events {
            guard let id = paymentID(of: event) else {
                if case .invoiceSaved(let invoice) = event {
                    before.invoices[invoice.id] = state.billing.invoices[invoice.id]?.status
                }
                continue
            }
            if let payment = state.payment(id: id) { before.payments[id] = payment.status }
            if let (batch, _) = state.batchRow(of: id) { before.batches[batch] = state.batches[batch]?.status }
        }
        return before
    }

    public static func fired(_ events: [TenantEvent], before: Before, after state: TenantState) -> [Fired] {
        var fired: [Fired] = []
        var seen = Set<String>()
        func add(_ type: WebhookEventType, _ subject: WebhookSubjectKind, _ id: String?) {
            guard seen.insert(type.rawValue + "/" + (id ?? "")).inserted else { return }
            fired.append(Fired(type: type, subject: subject, subjectID: id))
        }
        for event in events {
            switch event {
            case .c2bReceived(let data):
                add(.c2bReceived, .payment, data.paymentID.rawValue)
            case .balanceUpdated(let data):
                add(.balanceUpdated, .balance, data.shortCodeID?.rawValue)
            case .subscriptionUpdated:
                add(.subscriptionUpdated, .subscription, nil)
            case .invoiceSaved(let invoice):
                guard let now = state.billing.invoices[invoice.id]?.status, now != before.invoices[invoice.id] else {
                    continue
                }
                if now == .open { add(.invoiceFinalized, .invoice, invoice.id.rawValue) }
                if now == .paid { add(.invoicePaid, .invoice, invoice.id.rawValue) }
            default:
                guard let id = paymentID(of: event), let payment = state.payment(id: id) else { continue }
                if payment.status != before.payments[id], let type = finalType(payment) {
                    add(type, .payment, id.rawValue)
                }
                if let (batch, _) = state.batchRow(of: id), let status = state.batches[batch]?.status,
                    status == .completed || status == .completedWithFailures,
                    before.batches[batch] != .completed && before.batches[batch] != .completedWithFailures
                {
                    add(.batchCompleted, .batch, batch.rawValue)
                }
            }
        }
        return fired
    }

    /// The payment a line settles (`payment.settled`, or `payment.upstream_failed` that fails it).
    static func paymentID(of event: TenantEvent) -> PaymentID? {
        switch event {
        case .paymentSettled(let data): data.paymentID
        case .paymentUpstreamFailed(let data): data.paymentID
        default: nil
        }
    }

    static func finalType(_ payment: Payment) -> WebhookEventType? {
        switch (payment.type, payment.status) {
        case (.stkPush, .succeeded), (.c2b, .succeeded): .paymentSucceeded
        case (.stkPush, .failed), (.c2b, .failed): .paymentFailed
        case (.stkPush, .cancelled), (.c2b, .cancelled): .paymentCancelled
        case (.stkPush, .timeout), (.c2b, .timeout): .paymentTimeout
        case (.b2c, .succeeded): .payoutSucceeded
        case (.b2c, .failed), (.b2c, .cancelled), (.b2c, .timeout): .payoutFailed
        case (.reversal, .succeeded): .reversalCompleted
        default: nil
        }
    }
}
