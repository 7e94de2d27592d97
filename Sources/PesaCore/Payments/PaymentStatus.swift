/// Where a payment is. `pending` until Daraja settles it; `unknown` when reconciliation gave up (a person
/// must look; a late truth may still settle it); `reversed` only after `succeeded`.
public enum PaymentStatus: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case pending, succeeded, failed, cancelled, timeout, reversed, unknown

    public var description: String { rawValue }

    /// Final: no callback or query changes it again (a succeeded payment can still be reversed).
    public var isFinal: Bool {
        switch self {
        case .succeeded, .failed, .cancelled, .timeout, .reversed: true
        case .pending, .unknown: false
        }
    }

    /// What happens when something (a callback, a query answer, a reversal) says the payment is `next`.
    public enum TransitionOutcome: Sendable, Equatable {
        /// The status changes to the new one.
        case changes
        /// Already in that status: a duplicate, nothing changes.
        case duplicate
        /// The payment is already final: a late answer, nothing changes (the caller still records it).
        case late
        /// Never legal (e.g. `pending` -> `reversed`, or back to `pending`): a bug in the caller.
        case illegal
    }

    /// `transition(to:)` for a result that may bring an M-Pesa receipt: a success with a receipt also
    /// overturns a failure (`failed`, `cancelled`, `timeout`), because the receipt shows the money moved. Daraja's
    /// callbacks may come late and out of order relative to a query: a query at two minutes may say
    /// 1037 (no answer from the customer) just before the callback of the PIN the customer entered after all.
    /// Kept `timeout`, that payment would be pushed again and paid twice. Without a receipt a failure stays.
    public func transition(to next: PaymentStatus, receipt: String?) -> TransitionOutcome {
        switch (self, next) {
        case (.failed, .succeeded), (.cancelled, .succeeded), (.timeout, .succeeded):
            guard let receipt, !receipt.isEmpty else { return .late }
            return .changes
        default:
            return transition(to: next)
        }
    }

    /// The state machine, as a table (a success with a receipt also overturns a failure: `transition(to:receipt:)`):
    ///
    /// | from \ to | pending | succeeded | failed, cancelled, timeout | reversed | unknown |
    /// |---|---|---|---|---|---|
    /// | pending   | duplicate | changes | changes | illegal | changes |
    /// | unknown   | illegal | changes | changes | illegal | duplicate |
    /// | succeeded | late | duplicate | late | changes | late |
    /// | failed, cancelled, timeout | late | late (or duplicate when equal) | ... | late | changes |
    /// | reversed  | late | late | late | duplicate | late |
    ///
    /// A failure may still become `unknown`: a success that would overturn it but does not prove itself (its
    /// amount or phone is not the payment's, or its receipt is another payment's) leaves the truth to a person.
    public func transition(to next: PaymentStatus) -> TransitionOutcome {
        if next == self { return .duplicate }
        switch (self, next) {
        case (.succeeded, .reversed): return .changes
        case (.failed, .unknown), (.cancelled, .unknown), (.timeout, .unknown): return .changes
        case (let from, _) where from.isFinal: return .late
        case (_, .pending), (_, .reversed): return .illegal
        case (.unknown, .unknown): return .duplicate
        case (.pending, _), (.unknown, _): return .changes
        default: return .illegal
        }
    }
}
