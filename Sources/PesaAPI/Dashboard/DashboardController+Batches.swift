import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    static let batchPageCount = 25
    static let batchRowPageCount = 50

    /// `GET /ui/batches`: the organization's payout batches, newest first, as `GET /v1/payout-batches` lists
    /// them (manager and up), by pages of `batchPageCount`.
    @Sendable func batches(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let page = try await signedIn(request, context: context)
        let organization = try context.targetOrganization(request)
        try context.require(.readPayoutBatch, in: organization)
        let offset = try Self.pageOffset(request)
        let found = try await gateway.payoutBatches(
            in: organization, offset: offset, limit: Self.batchPageCount,
            by: page.identity.actor(requestID: context.requestID))
        let org = page.identity.principal.organizationID == nil ? organization.rawValue : nil
        let name = try await gateway.engine(organization).accessView.organization?.name
        let link = { (offset: Int) in BatchViews.link("/ui/batches", offset: offset, org: org) }
        return DashboardPages.page(
            title: "Batches",
            layout: DashboardLayout(organizationName: name, page: page, currentPath: "/ui/batches"),
            template: DashboardTemplates.batchList,
            context: [
                "org": DashboardPages.section(org),
                "can_create": page.identity.principal.authorize(.createPayoutBatch, in: organization) == .allowed,
                "empty": found.batches.isEmpty, "rows": found.batches.map(BatchViews.summary),
                "previous": DashboardPages.section(offset > 0 ? link(max(0, offset - Self.batchPageCount)) : nil),
                "next": DashboardPages.section(found.hasMore ? link(offset + found.batches.count) : nil),
            ])
    }

    /// `GET /ui/batches/{id}`: one batch of the organization (another organization's is a 404): its fields,
    /// its rows by state, the review, retry and cancel buttons the role may use, and its rows by pages of
    /// `batchRowPageCount` with their payouts. A batch still sending refreshes itself.
    @Sendable func batch(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let page = try await signedIn(request, context: context)
        let (id, organization) = try batchTarget(request, context: context)
        let batch = try await gateway.payoutBatch(
            id, in: organization, by: page.identity.actor(requestID: context.requestID))
        let notice = request.uri.queryParameters.get("done").flatMap { BatchViews.doneNotices[$0] }
        return try await batchPage(
            batch, page: page, organization: organization, offset: try Self.pageOffset(request), notice: notice)
    }

    /// The batch's page with a message on top (`error` in red, `notice` plain).
    func batchPage(
        _ batch: BatchRecord, page: DashboardPage, organization: OrganizationID, offset: Int,
        notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let engine = try await gateway.engine(organization)
        let (shortCode, people) = try await engine.read { state in
            (
                batch.shortCodeID.flatMap { state.shortCodes[$0] },
                Dictionary(state.users.values.map { ($0.id.rawValue, $0.email) }) { first, _ in first }
            )
        }
        var values = BatchViews.detail(
            batch, shortCode: shortCode, people: people, page: page, organization: organization, offset: offset,
            rowCount: Self.batchRowPageCount)
        values["notice"] = DashboardPages.section(notice)
        values["error"] = DashboardPages.section(error)
        var layout = DashboardLayout(
            organizationName: engine.accessView.organization?.name, page: page, currentPath: "/ui/batches")
        if batch.status == .queued || batch.status == .sending { layout.refreshSeconds = 5 }
        return DashboardPages.page(
            title: "Batch \(batch.id.rawValue)", layout: layout, template: DashboardTemplates.batchDetail,
            context: values, status: status)
    }

    /// `GET /ui/batches/{id}/results.csv`: what `GET /v1/payout-batches/{id}/results.csv` answers, by the same
    /// code (cells a spreadsheet would run as formulas are defused).
    @Sendable func batchResultsCSV(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let page = try await signedIn(request, context: context)
        let (id, organization) = try batchTarget(request, context: context)
        let batch = try await gateway.payoutBatch(
            id, in: organization, by: page.identity.actor(requestID: context.requestID))
        var response = InvoicesController.text(try BatchUpload.resultsCSV(batch), type: "text/csv; charset=utf-8")
        response.headers[.contentDisposition] = "attachment; filename=\"\(batch.id.rawValue)-results.csv\""
        return response
    }

    /// `POST /ui/batches/{id}/approve`, `…/reject`, `…/retry-failed` and `…/cancel`: the API's use case with
    /// the API's rules (approval by an org_admin other than the creator). The form carries the batch's state as
    /// it showed it (`version`): a batch changed since (the same button pressed twice) is left alone, and the
    /// browser is sent to its page saying so. Success: 303 to the batch's page.
    func changeBatch(_ change: BatchViews.Change, request: Request, context: PesaRequestContext) async throws
        -> Response
    {
        let page = try await signedIn(request, context: context)
        let fields = try await DashboardForm.read(request, context: context, bytesMax: Self.formBytesMax)
        try requireCSRF(fields, page: page)
        let (id, organization) = try batchTarget(request, context: context)
        let actor = page.identity.actor(requestID: context.requestID)
        let current = try await gateway.payoutBatch(id, in: organization, by: actor)
        let org = page.identity.principal.organizationID == nil ? organization.rawValue : nil
        let target = { (done: String) in
            DashboardPages.redirect(to: BatchViews.link("/ui/batches/\(id.rawValue)", done: done, org: org))
        }
        guard fields["version"] == BatchViews.version(current) else { return target("unchanged") }
        do {
            try Task.checkCancellation()
            switch change {
            case .approve: _ = try await gateway.approvePayoutBatch(id, in: organization, by: actor)
            case .reject:
                let reason = fields["reason"]?.trimmingCharacters(in: .whitespacesAndNewlines)
                _ = try await gateway.rejectPayoutBatch(
                    id, reason: reason.flatMap { $0.isEmpty ? nil : $0 }, in: organization, by: actor)
            case .retryFailed: _ = try await gateway.retryFailedPayoutBatch(id, in: organization, by: actor)
            case .cancel: _ = try await gateway.cancelPayoutBatch(id, in: organization, by: actor)
            }
            return target(change.done)
        } catch let error as EngineError where error.code == .conflict || error.code == .invalidField {
            let batch = try await gateway.payoutBatch(id, in: organization, by: actor)
            return try await batchPage(
                batch, page: page, organization: organization, offset: 0, error: error.message,
                status: ErrorMapping.apiError(for: error).status)
        }
    }

    @Sendable func approveBatch(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await changeBatch(.approve, request: request, context: context)
    }

    @Sendable func rejectBatch(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await changeBatch(.reject, request: request, context: context)
    }

    @Sendable func retryBatch(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await changeBatch(.retryFailed, request: request, context: context)
    }

    @Sendable func cancelBatch(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await changeBatch(.cancel, request: request, context: context)
    }

    /// The batch a path names and the organization asked for; an id that is not a batch id is a 404.
    func batchTarget(_ request: Request, context: PesaRequestContext) throws -> (BatchID, OrganizationID) {
        guard let text = context.parameters.get("id"), let id = try? BatchID(parsing: text) else {
            throw APIError.notFound()
        }
        return (id, try context.targetOrganization(request))
    }

    /// A list page's `offset`: 0 unless given; anything but a whole number from 0 is a 422.
    static func pageOffset(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("offset"), !text.isEmpty else { return 0 }
        guard let offset = Int(text), offset >= 0 else {
            throw APIError.invalidField("offset", "this page link is not one of ours; start from the first page")
        }
        return offset
    }
}
