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

/// A completed (or failed) money movement, for transaction status and reversal.
struct TransactionRecord: Sendable {
    enum Kind: Sendable { case stk, c2b, b2c, b2b, reversal }

    let kind: Kind
    let receipt: String
    let amount: Int64
    /// `254712345678 - JANE WANJIRU` / `600984 - Example Shop`.
    let debitPartyName: String
    let creditPartyName: String
    /// The organization's shortcode whose balance moved.
    let shortCode: String
    let originatorConversationID: String
    let conversationID: String
    let completedTimestamp: String
    let succeeded: Bool
    var reversed: Bool = false
}

/// The URLs a shortcode registered for C2B.
struct C2BRegistration: Sendable {
    let responseType: String
    let confirmationURL: String
    let validationURL: String
}

/// An access token the sandbox issued.
struct TokenRecord: Sendable {
    let consumerKey: String
    let expiresAt: ContinuousClock.Instant
}
