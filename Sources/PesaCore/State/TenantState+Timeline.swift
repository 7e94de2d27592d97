extension TenantState {
    /// Keeps each payment's journal range (first and last event about it), so that its timeline can be
    /// read from the journal without scanning all of it. A reversal's settlement also reaches the
    /// payment it reverses.
    mutating func recordTimeline(_ event: TenantEvent, seq: UInt64) {
        guard let id = event.paymentID, let row = payments.row(for: id) else { return }
        switch event {
        case .stkPushRequested, .b2cRequested, .reversalRequested, .c2bReceived:
            payments.firstEventSeqs[row] = seq
            payments.lastEventSpans[row] = 0
        case .paymentSettled where payments.type(at: row) == .reversal:
            payments.touch(at: row, seq: seq)
            if let original = try? PaymentID(parsing: payments.text(at: row, .originalPaymentID)),
                let originalRow = payments.row(for: original) {
                payments.touch(at: originalRow, seq: seq)
            }
        default:
            payments.touch(at: row, seq: seq)
        }
    }
}

extension TenantEvent {
    /// The payment the event is about, if any.
    public var paymentID: PaymentID? {
        switch self {
        case .stkPushRequested(let data): data.paymentID
        case .b2cRequested(let data): data.paymentID
        case .reversalRequested(let data): data.paymentID
        case .c2bReceived(let data): data.paymentID
        case .paymentAccepted(let data): data.paymentID
        case .paymentUpstreamFailed(let data): data.paymentID
        case .callbackReceived(let data): data.paymentID
        case .paymentSettled(let data): data.paymentID
        case .reconciliationAttempted(let data): data.paymentID
        case .querySent(let data): data.paymentID
        default: nil
        }
    }
}
