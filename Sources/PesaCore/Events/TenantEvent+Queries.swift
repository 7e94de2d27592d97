extension TenantEvent {
    /// Why a query was sent.
    public enum QueryReason: String, Sendable, Codable, CaseIterable {
        /// A person or system asked through the API.
        case api
        /// The reconciler asks about a pending payout or reversal.
        case reconciliation
    }

    /// `query.sent`: Daraja acknowledged a balance or transaction-status query; its result will come to the
    /// organization's `balance/result` or `status/result` URL with this `conversation_id`.
    public struct QuerySent: Sendable, Equatable, Codable {
        public var queryID: QueryID
        public var kind: QueryKind
        public var reason: QueryReason
        public var conversationID: String
        public var originatorConversationID: String
        /// The payment the query is about (a transaction-status query for one of this organization's).
        public var paymentID: PaymentID?
        /// The receipt the transaction-status query names, if it names one.
        public var mpesaReceipt: String?

        /// The short-code profile it went through (absent in events written before profiles).
        public var shortCodeID: ShortCodeID?

        public init(queryID: QueryID, kind: QueryKind, reason: QueryReason, conversationID: String,
                    originatorConversationID: String, paymentID: PaymentID? = nil, mpesaReceipt: String? = nil) {
            self.queryID = queryID
            self.kind = kind
            self.reason = reason
            self.conversationID = conversationID
            self.originatorConversationID = originatorConversationID
            self.paymentID = paymentID
            self.mpesaReceipt = mpesaReceipt
        }

        enum CodingKeys: String, CodingKey {
            case shortCodeID = "short_code_id"
            case kind, reason
            case queryID = "query_id"
            case conversationID = "conversation_id"
            case originatorConversationID = "originator_conversation_id"
            case paymentID = "payment_id"
            case mpesaReceipt = "mpesa_receipt"
        }
    }

    /// `query.completed`: the query's result (or its queue timeout). `parameters` are Daraja's
    /// `ResultParameters` as key → text. A second result for the same query is not journaled as this event.
    public struct QueryCompleted: Sendable, Equatable, Codable {
        public var queryID: QueryID
        public var resultCode: ResultCode
        public var resultDesc: String
        public var parameters: [String: String]

        public init(queryID: QueryID, resultCode: ResultCode, resultDesc: String, parameters: [String: String]) {
            self.queryID = queryID
            self.resultCode = resultCode
            self.resultDesc = resultDesc
            self.parameters = parameters
        }

        enum CodingKeys: String, CodingKey {
            case parameters
            case queryID = "query_id"
            case resultCode = "result_code"
            case resultDesc = "result_desc"
        }
    }
}

extension TenantEvent {
    /// `c2b.validation_set`: how the organization answers Daraja's C2B validation requests. With
    /// `reject_unknown`, a payment whose account reference (BillRefNumber) is not one of `account_references`
    /// (compared case-insensitively) is rejected before the customer's money moves.
    public struct C2BValidationSet: Sendable, Equatable, Codable {
        public var rejectUnknown: Bool
        public var accountReferences: [String]

        public init(rejectUnknown: Bool, accountReferences: [String]) {
            self.rejectUnknown = rejectUnknown
            self.accountReferences = accountReferences
        }

        enum CodingKeys: String, CodingKey {
            case rejectUnknown = "reject_unknown"
            case accountReferences = "account_references"
        }
    }
}
