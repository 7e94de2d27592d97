extension TenantEvent {
    /// `batch.created`: a payout batch, validated whole, before any of its rows; the rows follow in
    /// `batch.items_added` lines of the same commit (a batch holding fewer rows than `item_count` is incomplete,
    /// torn at a crash before it was answered, and is never sent).
    public struct BatchCreated: Sendable, Equatable, Codable {
        public var batchID: BatchID
        public var command: B2CCommand
        public var itemCount: Int64
        public var total: Amount
        /// The profile the rows pay out from.
        public var shortCodeID: ShortCodeID?
        /// Hex SHA-256 of the uploaded body (CSV or JSON): the same upload again answers this batch.
        public var contentHash: String
        public var idempotencyKey: String?
        public var requestHash: String?
        /// Who created it (`usr_…` or `key_…`), their role and key environment: rows are sent as them.
        public var createdBy: String
        public var createdByRole: Role
        public var keyEnvironment: String?
        /// Waits in `awaiting_approval` for an org_admin other than the creator until `approval_expires_at_ms`.
        public var approvalRequired: Bool
        public var approvalExpiresAtMs: Int64?
        public var allowDuplicates: Bool
        /// What was said at creation (a low or unknown balance).
        public var warnings: [String]

        public init(
            batchID: BatchID, command: B2CCommand, itemCount: Int64, total: Amount, shortCodeID: ShortCodeID?,
            contentHash: String, idempotencyKey: String? = nil, requestHash: String? = nil, createdBy: String,
            createdByRole: Role, keyEnvironment: String? = nil, approvalRequired: Bool = false,
            approvalExpiresAtMs: Int64? = nil, allowDuplicates: Bool = false, warnings: [String] = []
        ) {
            self.batchID = batchID
            self.command = command
            self.itemCount = itemCount
            self.total = total
            self.shortCodeID = shortCodeID
            self.contentHash = contentHash
            self.idempotencyKey = idempotencyKey
            self.requestHash = requestHash
            self.createdBy = createdBy
            self.createdByRole = createdByRole
            self.keyEnvironment = keyEnvironment
            self.approvalRequired = approvalRequired
            self.approvalExpiresAtMs = approvalExpiresAtMs
            self.allowDuplicates = allowDuplicates
            self.warnings = warnings
        }

        enum CodingKeys: String, CodingKey {
            case command, total, warnings
            case batchID = "batch_id"
            case itemCount = "item_count"
            case shortCodeID = "short_code_id"
            case contentHash = "content_hash"
            case idempotencyKey = "idempotency_key"
            case requestHash = "request_hash"
            case createdBy = "created_by"
            case createdByRole = "created_by_role"
            case keyEnvironment = "key_environment"
            case approvalRequired = "approval_required"
            case approvalExpiresAtMs = "approval_expires_at_ms"
            case allowDuplicates = "allow_duplicates"
        }
    }

    /// One row of a batch as uploaded (validated).
    public struct BatchItemInput: Sendable, Equatable, Codable {
        public var phone: MSISDN
        public var amount: Amount
        public var reference: String
        public var name: String?

        public init(phone: MSISDN, amount: Amount, reference: String, name: String? = nil) {
            self.phone = phone
            self.amount = amount
            self.reference = reference
            self.name = name
        }
    }

    /// `batch.items_added`: rows `first_index`… of a batch, each `queued`.
    public struct BatchItemsAdded: Sendable, Equatable, Codable {
        public var batchID: BatchID
        public var firstIndex: Int64
        public var items: [BatchItemInput]

        public init(batchID: BatchID, firstIndex: Int64, items: [BatchItemInput]) {
            self.batchID = batchID
            self.firstIndex = firstIndex
            self.items = items
        }

        enum CodingKeys: String, CodingKey {
            case items
            case batchID = "batch_id"
            case firstIndex = "first_index"
        }
    }

    /// What `batch.changed` says happened.
    public enum BatchChange: String, Sendable, Equatable, Codable, CaseIterable {
        /// An org_admin other than the creator let it go out.
        case approved
        /// An org_admin refused it: nothing is sent, every row is `skipped`.
        case rejected
        /// Nobody approved it within `Limits.batchApprovalWindowMs`: as rejected.
        case expired
        /// Stopped: rows not yet sent are `skipped`; rows already sent settle as usual.
        case cancelled
        /// Row `item` failed before anything was sent (a guard of a single payout refused it).
        case itemFailed = "item_failed"
        /// Rows `items` (failed, retryable) are `queued` again, to go out as new payouts.
        case itemsRetried = "items_retried"
        /// A transaction-status query found no trace of row `item`'s payout, which Daraja never acknowledged:
        /// the request was cut before it reached Daraja, and the payout is due to go out again under its own id.
        case itemNotReceived = "item_not_received"
        /// Row `item`'s payout goes out again under its own id (its `OriginatorConversationID`), which Daraja
        /// refuses as a duplicate if the first request did reach it: a row is never paid twice.
        case itemResent = "item_resent"
    }

    /// `batch.changed`: a review, a cancellation, a row refused before sending, or a retry of failed rows.
    public struct BatchChanged: Sendable, Equatable, Codable {
        public var batchID: BatchID
        public var change: BatchChange
        /// Who did it (`usr_…`, `key_…`, or `system` for an expiry or a row the sender could not send).
        public var actor: String
        public var reason: String?
        public var item: Int64?
        public var items: [Int64]?
        public var errorCode: String?

        public init(
            batchID: BatchID, change: BatchChange, actor: String, reason: String? = nil, item: Int64? = nil,
            items: [Int64]? = nil, errorCode: String? = nil
        ) {
            self.batchID = batchID
            self.change = change
            self.actor = actor
            self.reason = reason
            self.item = item
            self.items = items
            self.errorCode = errorCode
        }

        enum CodingKeys: String, CodingKey {
            case change, actor, reason, item, items
            case batchID = "batch_id"
            case errorCode = "error_code"
        }
    }
}
