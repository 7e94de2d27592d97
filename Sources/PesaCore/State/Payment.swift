/// One payment as the API shows it (GET /v1/payments/{id}, without its event timeline, which the journal
/// keeps). A value read out of `PaymentTable`; empty texts read as nil.
public struct Payment: Sendable, Equatable {
    public var id: PaymentID
    public var type: PaymentType
    public var status: PaymentStatus
    public var amount: Amount
    /// 12 digits for STK push and B2C; as Daraja sent it for C2B.
    public var phone: String
    public var accountReference: String?
    /// STK push `description`, B2C and reversal `remarks`.
    public var description: String?
    public var command: B2CCommand?
    public var transactionType: TransactionType?
    public var merchantRequestID: String?
    public var checkoutRequestID: String?
    public var conversationID: String?
    public var originatorConversationID: String?
    public var mpesaReceipt: String?
    public var resultCode: ResultCode?
    public var resultDesc: String?
    public var idempotencyKey: String?
    public var requestHash: String?
    public var batchID: String?
    /// For a reversal: the payment it reverses.
    public var originalPaymentID: String?
    /// For a reversal: the M-Pesa receipt it reverses.
    public var reversedReceipt: String?
    /// The short-code profile it went through (never changes once set).
    public var shortCodeID: ShortCodeID?
    /// That profile's number (BusinessShortCode, PartyA).
    public var shortCode: String?
    public var createdAtMs: Int64
    public var updatedAtMs: Int64
    /// What was given back: on a reversed payment, the sum of its succeeded reversals (a partial reversal gives
    /// back less than the amount); on a succeeded reversal, its amount. Nil otherwise. Derived, never stored.
    public var amountReversed: Amount?
    /// Reconciliation queries made so far (saturates at 255).
    public var reconcileAttempts: Int
    /// Callbacks matched to this payment, duplicates and late ones included (saturates at 255).
    public var callbackCount: Int
    /// Journal sequence number of the event that created the payment: its timeline starts there.
    public var firstEventSeq: UInt64
    /// Sequence number of the last event about it, nil when too far from the first to be kept (then
    /// the timeline runs to the journal's end). GET /v1/payments/{id} reads `events` from this range.
    public var lastEventSeq: UInt64?

    /// A success settled by an STK query, which names no receipt: the receipt is still being looked up (and
    /// the payment cannot be reversed until it is known).
    public var receiptPending: Bool { type == .stkPush && status == .succeeded && mpesaReceipt == nil }

    /// Why the payment is `unknown`, when it is.
    public var attentionReason: AttentionReason? {
        status == .unknown ? AttentionReason(resultCode: resultCode) : nil
    }

    public init(id: PaymentID, type: PaymentType, status: PaymentStatus, amount: Amount, phone: String,
                createdAtMs: Int64) {
        self.id = id
        self.type = type
        self.status = status
        self.amount = amount
        self.phone = phone
        self.createdAtMs = createdAtMs
        self.updatedAtMs = createdAtMs
        self.reconcileAttempts = 0
        self.callbackCount = 0
        self.firstEventSeq = 0
        self.lastEventSeq = 0
    }
}
