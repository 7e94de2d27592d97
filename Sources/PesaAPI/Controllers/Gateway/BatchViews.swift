import Hummingbird
import PesaCore

/// A payout batch as `GET /v1/payout-batches/{id}` shows it: its status, counts and amounts by row state,
/// progress and approval.
struct BatchJSON: ResponseEncodable, Sendable {
    struct Approval: Encodable, Sendable {
        let status: String
        let expiresAt: String?
        let reviewedBy: String?
        let reason: String?

        enum CodingKeys: String, CodingKey {
            case status, reason
            case expiresAt = "expires_at"
            case reviewedBy = "reviewed_by"
        }
    }

    let id: String
    let status: String
    let command: String
    let shortCodeID: String?
    let itemCount: Int64
    let total: ShillingsJSON
    let counts: [String: Int64]
    let totals: [String: ShillingsJSON]
    /// Rows settled (succeeded, failed, unknown, skipped) out of `item_count`, in percent.
    let progressPercent: Int64
    let retryableFailures: Int64
    let approval: Approval
    let cancelledBy: String?
    let allowDuplicates: Bool
    let warnings: [String]
    let createdBy: String
    let createdAt: String
    let updatedAt: String

    init(_ batch: BatchRecord) {
        id = batch.id.rawValue
        status = batch.status.rawValue
        command = batch.command.rawValue
        shortCodeID = batch.shortCodeID?.rawValue
        itemCount = batch.itemCount
        total = ShillingsJSON(batch.total)
        var counts: [String: Int64] = [:]
        var totals: [String: ShillingsJSON] = [:]
        for state in BatchItemState.allCases {
            counts[state.rawValue] = batch.count(of: state)
            totals[state.rawValue] = ShillingsJSON(batch.amount(in: state))
        }
        self.counts = counts
        self.totals = totals
        let settled = BatchItemState.allCases.filter(\.isSettled).reduce(0) { $0 + batch.count(of: $1) }
        progressPercent = batch.itemCount == 0 ? 0 : settled * 100 / batch.itemCount
        retryableFailures = Int64(batch.retryableItems.count)
        approval = Approval(
            status: batch.review.rawValue, expiresAt: batch.approvalExpiresAtMs.map { RFC3339.string(ms: $0) },
            reviewedBy: batch.reviewedBy, reason: batch.reviewReason)
        cancelledBy = batch.cancelledBy
        allowDuplicates = batch.allowDuplicates
        warnings = batch.warnings
        createdBy = batch.createdBy
        createdAt = RFC3339.string(ms: batch.createdAtMs)
        updatedAt = RFC3339.string(ms: batch.updatedAtMs)
    }

    enum CodingKeys: String, CodingKey {
        case id, status, command, total, counts, totals, approval, warnings
        case shortCodeID = "short_code_id"
        case itemCount = "item_count"
        case progressPercent = "progress_percent"
        case retryableFailures = "retryable_failures"
        case cancelledBy = "cancelled_by"
        case allowDuplicates = "allow_duplicates"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One row of a batch (`GET /v1/payout-batches/{id}/items`).
struct BatchItemJSON: Encodable, Sendable {
    let id: String
    let row: Int
    let phone: String
    let amount: ShillingsJSON
    let reference: String
    let name: String?
    let state: String
    /// The row's current payout; `payment_ids` lists every payout it made (a retry makes another).
    let paymentID: String?
    let paymentIDs: [String]
    let mpesaReceipt: String?
    let errorCode: String?
    let errorMessage: String?
    let retryable: Bool
    /// How many times the row's current payout went out again under its own id (its first request was cut
    /// before it reached Daraja).
    let resends: Int64
    let updatedAt: String

    init(_ item: BatchItem, index: Int, batch: BatchID) {
        id = batch.itemID(index)
        row = index + 1
        phone = item.phone.digits
        amount = ShillingsJSON(item.amount)
        reference = item.reference
        name = item.name
        state = item.state.rawValue
        paymentID = item.paymentIDs.last?.rawValue
        paymentIDs = item.paymentIDs.map(\.rawValue)
        mpesaReceipt = item.receipt
        errorCode = item.errorCode
        errorMessage = item.errorMessage
        retryable = item.state == .failed && item.retryable
        resends = item.resends ?? 0
        updatedAt = RFC3339.string(ms: item.updatedAtMs)
    }

    enum CodingKeys: String, CodingKey {
        case id, row, phone, amount, reference, name, state, retryable, resends
        case paymentID = "payment_id"
        case paymentIDs = "payment_ids"
        case mpesaReceipt = "mpesa_receipt"
        case errorCode = "error_code"
        case errorMessage = "error_message"
        case updatedAt = "updated_at"
    }
}

/// `GET/PUT /v1/payout-batch-settings`.
struct BatchSettingsJSON: ResponseEncodable, Codable, Sendable {
    let approval: String
    /// Shillings; with `approval: above`, batches whose total is above it wait for approval.
    let approvalAbove: Int64?
    let lowBalance: String

    init(approval: String, approvalAbove: Int64?, lowBalance: String) {
        self.approval = approval
        self.approvalAbove = approvalAbove
        self.lowBalance = lowBalance
    }

    init(_ settings: BatchSettings) {
        approval = settings.approval.rawValue
        approvalAbove = settings.approvalAbove.map { $0.minorUnits / Limits.minorUnitsPerShillingCount }
        lowBalance = settings.lowBalance.rawValue
    }

    func settings() throws -> BatchSettings {
        guard let approval = BatchSettings.Approval(rawValue: approval) else {
            throw APIError.invalidField("approval", "approval must be none, above or all")
        }
        guard let lowBalance = BatchSettings.LowBalance(rawValue: lowBalance) else {
            throw APIError.invalidField("low_balance", "low_balance must be warn or refuse")
        }
        if let approvalAbove, !(0...Limits.planAmountMinorUnitsMax).contains(approvalAbove) {
            throw APIError.invalidField("approval_above", "approval_above must be 0 or more shillings")
        }
        return BatchSettings(
            approval: approval, approvalAbove: approvalAbove.map { Amount(shillings: $0) }, lowBalance: lowBalance)
    }

    enum CodingKeys: String, CodingKey {
        case approval
        case approvalAbove = "approval_above"
        case lowBalance = "low_balance"
    }
}
