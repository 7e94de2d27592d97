import Crypto
import Foundation
import PesaCore

/// What the batch pages show of a batch: a line of the list, the detail with its rows, the state its forms
/// were shown for.
enum BatchViews {
    /// The buttons of a batch's page.
    enum Change {
        case approve, reject, retryFailed, cancel

        /// The `done` value of the page the browser is sent to after it.
        var done: String {
            switch self {
            case .approve: "approved"
            case .reject: "rejected"
            case .retryFailed: "retried"
            case .cancel: "cancelled"
            }
        }
    }

    /// The message of each `done` value; any other value shows nothing.
    static let doneNotices = [
        "approved": "Approved: the batch's rows go out now.",
        "rejected": "Rejected: nothing of this batch is sent.",
        "retried": "The failed rows a retry may cure are queued again, each as a new payout.",
        "cancelled": "Cancelled: rows not yet sent are skipped.",
        "created": "Batch created.",
        "unchanged": "This batch changed since that page was shown (the same button pressed twice?), so nothing "
            + "more was done. Here is where it stands now.",
    ]

    /// `path` with the page's query: an offset, a `done` notice, a super admin's `org`.
    static func link(_ path: String, offset: Int? = nil, done: String? = nil, org: String?) -> String {
        var items: [URLQueryItem] = []
        if let org { items.append(URLQueryItem(name: "org", value: org)) }
        if let offset, offset > 0 { items.append(URLQueryItem(name: "offset", value: String(offset))) }
        if let done { items.append(URLQueryItem(name: "done", value: done)) }
        var components = URLComponents()
        components.path = path
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? path
    }

    /// What a batch's forms were shown for: its status, review and row counts. A form whose batch has changed
    /// since is not acted on (a double submit changes nothing more).
    static func version(_ batch: BatchRecord) -> String {
        let counts = BatchItemState.allCases.map { "\($0.rawValue)=\(batch.count(of: $0))" }
        let text = ([batch.status.rawValue, batch.review.rawValue, String(batch.updatedAtMs)] + counts)
            .joined(separator: "|")
        return Hex.encodeString(SHA256.hash(data: Data(text.utf8)))
    }

    /// Rows settled out of all, in percent.
    static func progressPercent(_ batch: BatchRecord) -> Int64 {
        let settled = BatchItemState.allCases.filter(\.isSettled).reduce(0) { $0 + batch.count(of: $1) }
        return batch.itemCount == 0 ? 0 : settled * 100 / batch.itemCount
    }

    /// A line of the batch list.
    static func summary(_ batch: BatchRecord) -> [String: Any] {
        [
            "id": batch.id.rawValue, "status": batch.status.rawValue, "command": batch.command.rawValue,
            "row_count": String(batch.itemCount), "succeeded": String(batch.count(of: .succeeded)),
            "failed": String(batch.count(of: .failed)), "total": DashboardFormat.kes(batch.total),
            "progress": "\(progressPercent(batch))%", "created": DashboardFormat.kenyaTime(ms: batch.createdAtMs),
        ]
    }

    /// Everything the batch's page shows: its fields, its rows by state, the forms `page`'s role may send, and
    /// `rowCount` rows from `offset`.
    static func detail(
        _ batch: BatchRecord, shortCode: ShortCodeRecord?, people: [String: String], page: DashboardPage,
        organization: OrganizationID, offset: Int, rowCount: Int
    ) -> [String: Any] {
        let principal = page.identity.principal
        let may = { (action: Action) in principal.authorize(action, in: organization) == .allowed }
        let actorID = page.identity.subject.description
        let pending = batch.review == .pending
        let creator = batch.createdBy == actorID
        let org = principal.organizationID == nil ? organization.rawValue : nil
        let person = { (id: String) in people[id].map { "\($0) (\(id))" } ?? id }
        let fields: [(String, String?)] = [
            ("Status", batch.status.rawValue), ("Command", batch.command.rawValue),
            ("Short code", shortCode.map { "\($0.shortCode) · \($0.label)" } ?? batch.shortCodeID?.rawValue),
            ("Rows", String(batch.itemCount)), ("Total", DashboardFormat.kes(batch.total)),
            ("Progress", "\(progressPercent(batch))% of the rows settled"),
            ("Approval", batch.review.rawValue),
            (
                "Approval expires (EAT)",
                pending ? batch.approvalExpiresAtMs.map { DashboardFormat.kenyaTime(ms: $0) } : nil
            ),
            ("Reviewed by", batch.reviewedBy.map(person)), ("Review reason", batch.reviewReason),
            ("Cancelled by", batch.cancelledBy.map(person)),
            ("Duplicates allowed", batch.allowDuplicates ? "yes" : nil),
            ("Created by", person(batch.createdBy)),
            ("Created (EAT)", DashboardFormat.kenyaTime(ms: batch.createdAtMs)),
            ("Updated (EAT)", DashboardFormat.kenyaTime(ms: batch.updatedAtMs)),
        ]
        let states: [[String: Any]] = BatchItemState.allCases.map { state in
            [
                "state": state.rawValue, "count": String(batch.count(of: state)),
                "amount": DashboardFormat.kes(batch.amount(in: state)),
            ]
        }
        let shown = batch.items.indices.dropFirst(offset).prefix(rowCount)
        let rows: [[String: Any]] = shown.map { index in
            let item = batch.items[index]
            let error = [item.errorCode, item.errorMessage].compactMap { $0 }.joined(separator: ": ")
            return [
                "row": String(index + 1), "phone": item.phone.digits, "amount": DashboardFormat.kes(item.amount),
                "reference": item.reference, "name": item.name ?? "", "state": item.state.rawValue,
                "payment": DashboardPages.section(item.paymentIDs.last?.rawValue), "receipt": item.receipt ?? "",
                "error": error, "retryable": item.state == .failed && item.retryable,
            ]
        }
        let path = "/ui/batches/\(batch.id.rawValue)"
        let canRetry = may(.retryPayoutBatch) && batch.mayBeSent && !batch.retryableItems.isEmpty
        let cancellable: Bool = [BatchStatus.awaitingApproval, .queued, .sending].contains(batch.status)
        return [
            "id": batch.id.rawValue, "org": DashboardPages.section(org), "version": version(batch),
            "csrf_token": page.session.csrfToken,
            "environment": DashboardPages.section(shortCode?.environment),
            "production": shortCode?.environment == "production",
            "fields": fields.compactMap { label, value in value.map { ["label": label, "value": $0] } },
            "warnings": batch.warnings, "states": states,
            "can_approve": pending && may(.approvePayoutBatch) && !creator,
            "creator_note": pending && may(.approvePayoutBatch) && creator,
            "waiting_note": pending && !may(.approvePayoutBatch),
            "can_reject": pending && may(.rejectPayoutBatch),
            "can_retry": canRetry, "retryable_count": String(batch.retryableItems.count),
            "can_cancel": cancellable && may(.cancelPayoutBatch),
            "csv_href": link(path + "/results.csv", org: org),
            "rows": rows, "rows_from": String(shown.startIndex + 1), "rows_to": String(shown.endIndex),
            "previous": DashboardPages.section(
                offset > 0 ? link(path, offset: max(0, offset - rowCount), org: org) : nil),
            "next": DashboardPages.section(
                shown.endIndex < batch.items.count ? link(path, offset: shown.endIndex, org: org) : nil),
            "back": link("/ui/batches", org: org),
        ]
    }
}
