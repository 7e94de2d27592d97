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
