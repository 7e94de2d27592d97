/// An STK push the sandbox accepted.
struct STKRecord: Sendable {
    let merchantRequestID: String
    let checkoutRequestID: String
    let shortCode: String
    let phoneNumber: String
    let amount: Int64
    let resultCode: String
    let resultDesc: String
    /// Until then, STK query answers "The transaction is being processed".
    let finalAt: ContinuousClock.Instant
    /// The receipt of a successful payment.
    let receipt: String?
    /// `YYYYMMDDHHmmss` of completion.
    let completedTimestamp: String
}
