public import PesaCore

/// A payout or reversal as its use case would send it, checked but neither journaled nor sent: what a form asks
/// its user to confirm.
public struct MoneyPreview: Sendable {
    public let amount: Amount
    /// The phone the money goes to, as digits (`2547…`).
    public let phone: String
    /// The short code the money leaves from.
    public let shortCode: String
    /// `sandbox` or `production`: the short code's.
    public let environment: String
    /// The payment a reversal reverses; nil for a payout.
    public let original: Payment?
    /// The M-Pesa receipt a reversal reverses; nil for a payout.
    public let receipt: String?

    init(
        amount: Amount, phone: String, shortCode: String, environment: String, original: Payment? = nil,
        receipt: String? = nil
    ) {
        self.amount = amount
        self.phone = phone
        self.shortCode = shortCode
        self.environment = environment
        self.original = original
        self.receipt = receipt
    }
}

/// A payout's values as `Gateway.payout` sends them, and the call to the short code it pays from.
struct CheckedPayout: Sendable {
    let phone: MSISDN
    let amount: Amount
    let command: B2CCommand
    let remarks: String
    let occasion: String?
    let initiator: InitiatorCall
}

/// A reversal's fields as `Gateway.reversal` reads them, checked.
struct ReversalFields: Sendable {
    let receipt: String?
    let paymentID: PaymentID?
    let amount: Amount
    let remarks: String
    let shortCode: String?
}
