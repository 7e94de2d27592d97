extension TenantEvent {
    /// `payment.accepted`: Daraja acknowledged the request; its ids let callbacks find the payment.
    /// STK push: merchant and checkout request ids. B2C and reversal: conversation ids.
    public struct PaymentAccepted: Sendable, Equatable, Codable {
        public var paymentID: PaymentID
        public var merchantRequestID: String?
        public var checkoutRequestID: String?
        public var conversationID: String?
        public var originatorConversationID: String?

        public init(paymentID: PaymentID, merchantRequestID: String? = nil, checkoutRequestID: String? = nil,
                    conversationID: String? = nil, originatorConversationID: String? = nil) {
            self.paymentID = paymentID
            self.merchantRequestID = merchantRequestID
            self.checkoutRequestID = checkoutRequestID
            self.conversationID = conversationID
            self.originatorConversationID = originatorConversationID
        }

        enum CodingKeys: String, CodingKey {
            case paymentID = "payment_id"
            case merchantRequestID = "merchant_request_id"
            case checkoutRequestID = "checkout_request_id"
            case conversationID = "conversation_id"
            case originatorConversationID = "originator_conversation_id"
        }
    }

    /// `payment.upstream_failed`: Daraja refused the request or could not be reached. `status` is `failed`
    /// when the request surely did not move money, `pending` when it may have reached Daraja (then
    /// reconciliation settles it by a query).
    public struct PaymentUpstreamFailed: Sendable, Equatable, Codable {
        public var paymentID: PaymentID
        public var status: PaymentStatus
        public var errorCode: String
        public var errorMessage: String

        public init(paymentID: PaymentID, status: PaymentStatus, errorCode: String, errorMessage: String) {
            self.paymentID = paymentID
            self.status = status
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        enum CodingKeys: String, CodingKey {
            case status
            case paymentID = "payment_id"
            case errorCode = "error_code"
            case errorMessage = "error_message"
        }
    }

    /// How a received callback was matched.
    public enum CallbackDisposition: String, Sendable, Codable, CaseIterable {
        /// Its ids name a payment of this organization (`payment_id` is set).
        case matched
        /// Its ids name no payment of this organization: kept, changes nothing.
        case orphan
        /// The body could not be read: kept raw, answered 400.
        case malformed
        /// Not about a payment (balance and transaction-status results, C2B validation).
        case informational
    }

    /// `callback.received`: a Daraja callback as received, raw body kept as text.
    public struct CallbackReceived: Sendable, Equatable, Codable {
        public var kind: CallbackKind
        public var body: String
        public var disposition: CallbackDisposition
        public var paymentID: PaymentID?

        public init(kind: CallbackKind, body: String, disposition: CallbackDisposition, paymentID: PaymentID? = nil) {
            self.kind = kind
            self.body = body
            self.disposition = disposition
            self.paymentID = paymentID
        }

        enum CodingKeys: String, CodingKey {
            case kind, body, disposition
            case paymentID = "payment_id"
        }
    }

    /// Where a settlement came from.
    public enum SettlementSource: String, Sendable, Codable, CaseIterable {
        case callback, query, reconciliation, `operator`
    }

    /// `payment.settled`: a result for the payment. Applied through the state machine: on a final payment
    /// it changes nothing (a late or duplicate result, still journaled). A reversal that succeeds also
    /// turns its original payment `reversed`.
    public struct PaymentSettled: Sendable, Equatable, Codable {
        public var paymentID: PaymentID
        public var status: PaymentStatus
        public var resultCode: ResultCode
        public var resultDesc: String
        public var mpesaReceipt: String?
        public var transactionAtMs: Int64?
        public var source: SettlementSource

        public init(paymentID: PaymentID, status: PaymentStatus, resultCode: ResultCode, resultDesc: String,
                    mpesaReceipt: String? = nil, transactionAtMs: Int64? = nil, source: SettlementSource) {
            self.paymentID = paymentID
            self.status = status
            self.resultCode = resultCode
            self.resultDesc = resultDesc
            self.mpesaReceipt = mpesaReceipt
            self.transactionAtMs = transactionAtMs
            self.source = source
        }

        /// A settlement from Daraja's result code (its status follows `ResultCode.paymentStatus`).
        public init(paymentID: PaymentID, resultCode: ResultCode, resultDesc: String, mpesaReceipt: String? = nil,
                    transactionAtMs: Int64? = nil, source: SettlementSource) {
            self.init(paymentID: paymentID, status: resultCode.paymentStatus, resultCode: resultCode,
                      resultDesc: resultDesc, mpesaReceipt: mpesaReceipt, transactionAtMs: transactionAtMs,
                      source: source)
        }

        enum CodingKeys: String, CodingKey {
            case status, source
            case paymentID = "payment_id"
            case resultCode = "result_code"
            case resultDesc = "result_desc"
            case mpesaReceipt = "mpesa_receipt"
            case transactionAtMs = "transaction_at_ms"
        }
    }

    /// `payment.reconcile_attempted`: one query about a pending payment (STK query, transaction status).
    public struct ReconciliationAttempted: Sendable, Equatable, Codable {
        public enum Outcome: String, Sendable, Codable, CaseIterable {
            /// Daraja says it is still being processed.
            case stillPending = "still_pending"
            /// The answer settles it (a `payment.settled` follows).
            case settled
            /// The query itself failed.
            case error
            /// An asynchronous query (transaction status) was sent; its result settles the payment.
            case queried
        }

        public var paymentID: PaymentID
        public var attempt: Int64
        public var outcome: Outcome
        public var detail: String?

        public init(paymentID: PaymentID, attempt: Int64, outcome: Outcome, detail: String? = nil) {
            self.paymentID = paymentID
            self.attempt = attempt
            self.outcome = outcome
            self.detail = detail
        }

        enum CodingKeys: String, CodingKey {
            case attempt, outcome, detail
            case paymentID = "payment_id"
        }
    }
}
