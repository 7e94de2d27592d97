/// Why a payment is `unknown`: the gateway could not settle it on its own and a person must look. Each reason
/// is kept as the payment's result code (`PESA_…`), with a description naming what was seen (the other
/// payment, both amounts), so it needs no column of its own and survives snapshots as any result does.
///
/// | reason | when |
/// |---|---|
/// | `duplicate_receipt` | a success names an M-Pesa receipt another payment of the organization holds |
/// | `mismatch` | a success's amount, or its full phone number, is not the one asked for |
/// | `duplicate_checkout_request_id` | Daraja acknowledged two payments with one CheckoutRequestID |
/// | `lost_answer` | Daraja's answer to a push was lost, and no callback came while the customer could pay |
/// | `unresolved` | reconciliation asked as often as it may and heard no final answer |
public enum AttentionReason: String, Sendable, CaseIterable {
    case duplicateReceipt = "duplicate_receipt"
    case mismatch
    case duplicateCheckoutRequestID = "duplicate_checkout_request_id"
    case lostAnswer = "lost_answer"
    case unresolved

    /// The result code an `unknown` payment carries for this reason.
    public var resultCode: ResultCode {
        switch self {
        case .duplicateReceipt: ResultCode("PESA_DUPLICATE_RECEIPT")
        case .mismatch: ResultCode("PESA_MISMATCH")
        case .duplicateCheckoutRequestID: ResultCode("PESA_DUPLICATE_CHECKOUT_ID")
        case .lostAnswer: ResultCode("PESA_NO_CHECKOUT_ID")
        case .unresolved: ResultCode("PESA_UNRESOLVED")
        }
    }

    /// The reason an `unknown` payment's result code stands for, if it is one of these.
    public init?(resultCode: ResultCode?) {
        guard let resultCode, let reason = Self.allCases.first(where: { $0.resultCode == resultCode }) else {
            return nil
        }
        self = reason
    }
}
