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
    /// A new C2B validation rule. A list too long for one journal line comes in parts: this line holds the first
    /// and `referenceCount` says how many there are in all; `c2b.validation_references_added` lines in the same
    /// commit bring the rest, and the rule takes effect with the last one.
    public struct C2BValidationSet: Sendable, Equatable, Codable {
        public var rejectUnknown: Bool
        public var accountReferences: [String]
        /// The whole list's length, when `accountReferences` is only its first part; nil when it is all of it.
        public var referenceCount: Int?

        public init(rejectUnknown: Bool, accountReferences: [String], referenceCount: Int? = nil) {
            self.rejectUnknown = rejectUnknown
            self.accountReferences = accountReferences
            self.referenceCount = referenceCount
        }

        enum CodingKeys: String, CodingKey {
            case rejectUnknown = "reject_unknown"
            case accountReferences = "account_references"
            case referenceCount = "reference_count"
        }
    }

    /// The next part of a C2B validation list begun by a `c2b.validation_set` with a `referenceCount`.
    public struct C2BValidationReferencesAdded: Sendable, Equatable, Codable {
        public var accountReferences: [String]

        public init(accountReferences: [String]) {
            self.accountReferences = accountReferences
        }

        enum CodingKeys: String, CodingKey {
            case accountReferences = "account_references"
        }
    }
}

extension TenantEvent {
    /// A C2B validation rule as journal lines: one `c2b.validation_set` when its list fits in a line, else the set
    /// with the list's first part and its whole length, then `c2b.validation_references_added` lines with the
    /// rest, each part at most `Limits.c2bValidationPartBytesMax` bytes of JSON. Written as one commit.
    public static func c2bValidation(rejectUnknown: Bool, accountReferences: [String]) -> [TenantEvent] {
        var parts: [[String]] = [[]]
        var bytes = 0
        for reference in accountReferences {
            let cost = jsonStringBytes(reference) + 1
            if bytes + cost > Limits.c2bValidationPartBytesMax, let last = parts.last, !last.isEmpty {
                parts.append([])
                bytes = 0
            }
            parts[parts.count - 1].append(reference)
            bytes += cost
        }
        guard parts.count > 1 else {
            return [.c2bValidationSet(.init(rejectUnknown: rejectUnknown, accountReferences: accountReferences))]
        }
        let first = TenantEvent.c2bValidationSet(
            .init(rejectUnknown: rejectUnknown, accountReferences: parts[0], referenceCount: accountReferences.count))
        return [first] + parts.dropFirst().map { .c2bValidationReferencesAdded(.init(accountReferences: $0)) }
    }

    /// The bytes of `text` as a JSON string at most: its quotes, two for a quote or a backslash, six for a
    /// control character or a line or paragraph separator (which an encoder may escape), the UTF-8 bytes of
    /// anything else.
    static func jsonStringBytes(_ text: String) -> Int {
        text.unicodeScalars.reduce(2) { total, scalar in
            switch scalar.value {
            case 0x22, 0x5C: total + 2
            case ..<0x20, 0x2028, 0x2029: total + 6
            default: total + UTF8.width(scalar)
            }
        }
    }
}
