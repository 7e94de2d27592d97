/// Where one row of a payout batch stands.
///
/// Transition table (`BatchItemState.next`; each arrow is a journaled line, tested one by one in
/// `BatchTransitionTests`):
///
/// | from              | line                                                           | to                    |
/// |-------------------|----------------------------------------------------------------|-----------------------|
/// | (none)            | `batch.items_added`                                            | `queued`              |
/// | `queued`          | `payment.b2c_requested` with `batch_item` (intent journaled)   | `sending`             |
/// | `queued`          | `batch.changed` `item_failed` (a guard refused; nothing sent)  | `failed` (retryable)  |
/// | `queued`          | `batch.changed` `cancelled`, `rejected` or `expired`           | `skipped`             |
/// | `sending`         | `payment.accepted` (Daraja acknowledged)                       | `sent`                |
/// | `sending`         | `payment.upstream_failed`, failed (refused, or never reached)  | `failed` (retryable)  |
/// | `sending`         | `payment.upstream_failed`, pending (may have reached Daraja)   | `sending` (queried)   |
/// | `sending`         | `batch.changed` `item_not_received` (status query: no trace)   | `sending` (resend due)|
/// | `sending` (resend due) | `batch.changed` `item_resent` (same payout, same id)      | `sending`             |
/// | `sending`, `sent` | `payment.settled` succeeded / failed, cancelled, timeout / unknown | `succeeded` / |
/// |                   |                                                                | `failed` / `unknown`  |
/// | `unknown`         | `payment.settled` (a late result or a status query)            | `succeeded` / `failed` |
/// | `failed`          | `payment.settled` unknown (a success failing its proof)         | `unknown`             |
/// | `failed` (retryable) | `batch.changed` `items_retried`                             | `queued`              |
///
/// A row in `sending` never gets a new payout: its intent may have reached Daraja, so the reconciler's
/// transaction-status query (by the payment's id, its `OriginatorConversationID`) settles it. When that query,
/// asked `PaymentSettings.notReceivedAfterMs` or more after the send, finds no trace of a payout Daraja never
/// acknowledged (result 2032), the same payout goes out again under the same id: Daraja refuses a repeated
/// `OriginatorConversationID`, so the second request pays only if the first never arrived. A retried row
/// goes out as a new payout; the row keeps every payout it made, the last one deciding its state.
public enum BatchItemState: String, Sendable, Equatable, Codable, CaseIterable {
    case queued, sending, sent, succeeded, failed, unknown, skipped

    /// No line moves the row on by itself (a retry or a late result still may).
    public var isSettled: Bool {
        switch self {
        case .succeeded, .failed, .unknown, .skipped: true
        case .queued, .sending, .sent: false
        }
    }

    /// The state a row bound to a payout takes from that payout: its status, and whether Daraja acknowledged it.
    public static func following(_ status: PaymentStatus, acknowledged: Bool) -> BatchItemState {
        switch status {
        case .pending: acknowledged ? .sent : .sending
        case .succeeded, .reversed: .succeeded
        case .failed, .cancelled, .timeout: .failed
        case .unknown: .unknown
        }
    }
}

/// Daraja result codes of a failed payout that a retry may cure (Daraja's B2C result codes): 1 the balance is
/// insufficient, 17 an internal failure or a rule limit hit, 26 the system was busy, 2001 the initiator's
/// credentials were wrong (fixed on the short code). Codes that describe the payee (an invalid or unregistered
/// number, a limit of theirs) would fail again, and are not retried.
public enum BatchRetry {
    public static let retryableResultCodes: Set<String> = ["1", "17", "26", "2001"]
}

/// One row of a batch.
public struct BatchItem: Sendable, Equatable, Codable {
    public internal(set) var phone: MSISDN
    public internal(set) var amount: Amount
    public internal(set) var reference: String
    public internal(set) var name: String?
    public internal(set) var state: BatchItemState
    /// Every payout this row made, oldest first; the last one is the row's current payout.
    public internal(set) var paymentIDs: [PaymentID]
    /// Why a `failed` row failed: Daraja's result code, or the error code of a refusal before sending.
    public internal(set) var errorCode: String?
    public internal(set) var errorMessage: String?
    /// Failed before anything reached Daraja, or with a code in `BatchRetry.retryableResultCodes`.
    public internal(set) var retryable: Bool
    public internal(set) var receipt: String?
    public internal(set) var updatedAtMs: Int64
    /// Set by `item_not_received` while the row's payout waits to go out again; cleared when it does.
    public internal(set) var notReceivedAtMs: Int64?
    /// When the row's current payout last went out again (`item_resent`), and how many times it did.
    public internal(set) var resentAtMs: Int64?
    public internal(set) var resends: Int64?

    init(_ input: TenantEvent.BatchItemInput, atMs: Int64) {
        phone = input.phone
        amount = input.amount
        reference = input.reference
        name = input.name
        state = .queued
        paymentIDs = []
        retryable = false
        updatedAtMs = atMs
    }

    enum CodingKeys: String, CodingKey {
        case phone, amount, reference, name, state, retryable, receipt
        case paymentIDs = "payment_ids"
        case errorCode = "error_code"
        case errorMessage = "error_message"
        case updatedAtMs = "updated_at_ms"
        case notReceivedAtMs = "not_received_at_ms"
        case resentAtMs = "resent_at_ms"
        case resends
    }
}

/// Where a batch stands as a whole.
public enum BatchStatus: String, Sendable, Equatable, Codable, CaseIterable {
    /// Its rows were not all journaled (a crash tore the commit that created it): never sent.
    case incomplete
    case awaitingApproval = "awaiting_approval"
    case rejected, expired
    /// Nothing sent yet.
    case queued
    /// Rows are going out or awaiting their results.
    case sending
    case completed
    case completedWithFailures = "completed_with_failures"
    case cancelled
}

/// An organization's rules for batches (`PUT /v1/payout-batches/settings`).
public struct BatchSettings: Sendable, Equatable, Codable {
    public enum Approval: String, Sendable, Equatable, Codable, CaseIterable {
        /// Batches go out at once.
        case none
        /// Batches whose total is above `approval_above` wait for approval.
        case above
        /// Every batch waits for approval.
        case all
    }

    public enum LowBalance: String, Sendable, Equatable, Codable, CaseIterable {
        /// A batch above the paying short code's last known balance is created with a warning.
        case warn
        /// Such a batch is refused (409), nothing created.
        case refuse
    }

    public var approval: Approval
    /// With `above`: the total (minor units) a batch may reach without approval.
    public var approvalAbove: Amount?
    public var lowBalance: LowBalance

    public init(approval: Approval = .none, approvalAbove: Amount? = nil, lowBalance: LowBalance = .warn) {
        self.approval = approval
        self.approvalAbove = approvalAbove
        self.lowBalance = lowBalance
    }

    /// Whether a batch of `total` waits for an org_admin.
    public func requiresApproval(total: Amount) -> Bool {
        switch approval {
        case .none: false
        case .all: true
        case .above: total > (approvalAbove ?? Amount(minorUnits: 0))
        }
    }

    enum CodingKeys: String, CodingKey {
        case approval
        case approvalAbove = "approval_above"
        case lowBalance = "low_balance"
    }
}

/// A payout batch and its rows.
public struct BatchRecord: Sendable, Equatable, Codable {
    public enum Review: String, Sendable, Equatable, Codable {
        case notRequired = "not_required"
        case pending, approved, rejected, expired
    }

    public internal(set) var id: BatchID
    public internal(set) var command: B2CCommand
    public internal(set) var itemCount: Int64
    public internal(set) var total: Amount
    public internal(set) var shortCodeID: ShortCodeID?
    public internal(set) var contentHash: String
    public internal(set) var idempotencyKey: String?
    public internal(set) var requestHash: String?
    public internal(set) var createdBy: String
    public internal(set) var createdByRole: Role
    public internal(set) var keyEnvironment: String?
    public internal(set) var createdAtMs: Int64
    public internal(set) var updatedAtMs: Int64
    public internal(set) var review: Review
    public internal(set) var approvalExpiresAtMs: Int64?
    /// Who approved or rejected it, and why (a rejection's reason).
    public internal(set) var reviewedBy: String?
    public internal(set) var reviewReason: String?
    public internal(set) var cancelledBy: String?
    public internal(set) var allowDuplicates: Bool
    public internal(set) var warnings: [String]
    public internal(set) var items: [BatchItem]

    init(_ data: TenantEvent.BatchCreated, atMs: Int64) {
        id = data.batchID
        command = data.command
        itemCount = data.itemCount
        total = data.total
        shortCodeID = data.shortCodeID
        contentHash = data.contentHash
        idempotencyKey = data.idempotencyKey
        requestHash = data.requestHash
        createdBy = data.createdBy
        createdByRole = data.createdByRole
        keyEnvironment = data.keyEnvironment
        createdAtMs = atMs
        updatedAtMs = atMs
        review = data.approvalRequired ? .pending : .notRequired
        approvalExpiresAtMs = data.approvalExpiresAtMs
        allowDuplicates = data.allowDuplicates
        warnings = data.warnings
        items = []
    }

    /// Every row journaled.
    public var isComplete: Bool { Int64(items.count) == itemCount }

    /// Rows may go out: complete, approved (or needing no approval), not cancelled.
    public var mayBeSent: Bool {
        isComplete && cancelledBy == nil && (review == .notRequired || review == .approved)
    }

    public func count(of state: BatchItemState) -> Int64 {
        Int64(items.lazy.filter { $0.state == state }.count)
    }

    /// The amount of the rows in `state`.
    public func amount(in state: BatchItemState) -> Amount {
        Amount(minorUnits: items.lazy.filter { $0.state == state }.reduce(0) { $0 + $1.amount.minorUnits })
    }

    public var status: BatchStatus {
        guard isComplete else { return .incomplete }
        switch review {
        case .pending: return .awaitingApproval
        case .rejected: return .rejected
        case .expired: return .expired
        case .notRequired, .approved: break
        }
        if cancelledBy != nil { return .cancelled }
        if items.allSatisfy({ $0.state == .queued }) { return .queued }
        if items.contains(where: { !$0.state.isSettled }) { return .sending }
        return items.allSatisfy { $0.state == .succeeded } ? .completed : .completedWithFailures
    }

    /// Rows that `retry-failed` would send again.
    public var retryableItems: [Int] {
        items.indices.filter { items[$0].state == .failed && items[$0].retryable }
    }

    enum CodingKeys: String, CodingKey {
        case id, command, total, review, warnings, items
        case itemCount = "item_count"
        case shortCodeID = "short_code_id"
        case contentHash = "content_hash"
        case idempotencyKey = "idempotency_key"
        case requestHash = "request_hash"
        case createdBy = "created_by"
        case createdByRole = "created_by_role"
        case keyEnvironment = "key_environment"
        case createdAtMs = "created_at_ms"
        case updatedAtMs = "updated_at_ms"
        case approvalExpiresAtMs = "approval_expires_at_ms"
        case reviewedBy = "reviewed_by"
        case reviewReason = "review_reason"
        case cancelledBy = "cancelled_by"
        case allowDuplicates = "allow_duplicates"
    }
}
