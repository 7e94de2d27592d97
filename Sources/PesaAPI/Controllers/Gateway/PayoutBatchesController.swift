import Hummingbird
import PesaCore
import PesaEngine

/// Payout batches: `POST /v1/payout-batches` (JSON or CSV, manager+), reads, maker-checker approval
/// (org_admin, not the creator), cancel, retry of failed rows, the results as CSV, and the organization's batch
/// settings (`/v1/payout-batch-settings`). A batch of another organization is a 404.
struct PayoutBatchesController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.createSpec, use: create)
        routes.add(Self.listSpec, use: list)
        routes.add(Self.readSpec, use: read)
        routes.add(Self.itemsSpec, use: items)
        routes.add(Self.resultsSpec, use: results)
        routes.add(Self.approveSpec, use: approve)
        routes.add(Self.rejectSpec, use: reject)
        routes.add(Self.cancelSpec, use: cancel)
        routes.add(Self.retrySpec, use: retryFailed)
        routes.add(Self.readSettingsSpec, use: readSettings)
        routes.add(Self.saveSettingsSpec, use: saveSettings)
    }

    struct RejectBody: Codable, Sendable {
        let reason: String?
    }

    @Sendable func create(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let key = try request.idempotencyKey()
        let body = try await request.collectBody(context: context)
        let input = try BatchUpload.parameters(request, body: body)
        let answer = try await gateway.createPayoutBatch(
            input, in: organization, idempotency: key.map { IdempotencyInput(key: $0, requestHash: input.contentHash) },
            by: identity.actor(requestID: context.requestID))
        var response = try BatchJSON(answer.batch).response(from: request, context: context)
        response.status = answer.isReplay ? .ok : .created
        if answer.isReplay { response.headers[.idempotencyHit] = "true" }
        return response
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<BatchJSON> {
        let identity = try context.requireIdentity()
        let page = try PageRequest(request: request)
        let offset = try Self.offset(page)
        let found = try await gateway.payoutBatches(
            in: try context.targetOrganization(request), offset: offset, limit: page.limit,
            by: identity.actor(requestID: context.requestID))
        return ListResponse(
            data: found.batches.map(BatchJSON.init),
            nextCursor: found.hasMore ? PageCursor(position: String(offset + found.batches.count)) : nil)
    }

    @Sendable func read(_ request: Request, context: PesaRequestContext) async throws -> BatchJSON {
        BatchJSON(try await batch(request, context: context))
    }

    @Sendable func items(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<BatchItemJSON> {
        let batch = try await batch(request, context: context)
        let page = try PageRequest(request: request)
        let offset = try Self.offset(page)
        var shown: [BatchItemJSON] = []
        for index in batch.items.indices.dropFirst(offset).prefix(page.limit) {
            shown.append(BatchItemJSON(batch.items[index], index: index, batch: batch.id))
        }
        let more = batch.items.count > offset + shown.count
        return ListResponse(data: shown, nextCursor: more ? PageCursor(position: String(offset + shown.count)) : nil)
    }

    @Sendable func results(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let batch = try await batch(request, context: context)
        var response = InvoicesController.text(try BatchUpload.resultsCSV(batch), type: "text/csv; charset=utf-8")
        response.headers[.contentDisposition] = "attachment; filename=\"\(batch.id.rawValue)-results.csv\""
        return response
    }

    @Sendable func approve(_ request: Request, context: PesaRequestContext) async throws -> BatchJSON {
        let (id, organization, actor) = try target(request, context: context)
        return BatchJSON(try await gateway.approvePayoutBatch(id, in: organization, by: actor))
    }

    @Sendable func reject(_ request: Request, context: PesaRequestContext) async throws -> BatchJSON {
        let (id, organization, actor) = try target(request, context: context)
        let body = try await request.decodeOptionalJSON(as: RejectBody.self, context: context)
        return BatchJSON(try await gateway.rejectPayoutBatch(id, reason: body?.reason, in: organization, by: actor))
    }

    @Sendable func cancel(_ request: Request, context: PesaRequestContext) async throws -> BatchJSON {
        let (id, organization, actor) = try target(request, context: context)
        return BatchJSON(try await gateway.cancelPayoutBatch(id, in: organization, by: actor))
    }

    @Sendable func retryFailed(_ request: Request, context: PesaRequestContext) async throws -> BatchJSON {
        let (id, organization, actor) = try target(request, context: context)
        return BatchJSON(try await gateway.retryFailedPayoutBatch(id, in: organization, by: actor))
    }

    @Sendable func readSettings(_ request: Request, context: PesaRequestContext) async throws -> BatchSettingsJSON {
        let identity = try context.requireIdentity()
        return BatchSettingsJSON(try await gateway.payoutBatchSettings(
            in: try context.targetOrganization(request), by: identity.actor(requestID: context.requestID)))
    }

    @Sendable func saveSettings(_ request: Request, context: PesaRequestContext) async throws -> BatchSettingsJSON {
        let identity = try context.requireIdentity()
        let body = try await request.decodeJSON(as: BatchSettingsJSON.self, context: context)
        return BatchSettingsJSON(try await gateway.savePayoutBatchSettings(
            try body.settings(), in: try context.targetOrganization(request),
            by: identity.actor(requestID: context.requestID)))
    }

    private func target(_ request: Request, context: PesaRequestContext) throws
        -> (BatchID, OrganizationID, Actor)
    {
        let identity = try context.requireIdentity()
        guard let text = context.parameters.get("id"), let id = try? BatchID(parsing: text) else {
            throw APIError.notFound()
        }
        return (id, try context.targetOrganization(request), identity.actor(requestID: context.requestID))
    }

    private func batch(_ request: Request, context: PesaRequestContext) async throws -> BatchRecord {
        let (id, organization, actor) = try target(request, context: context)
        return try await gateway.payoutBatch(id, in: organization, by: actor)
    }

    /// Batch lists page by position: the cursor is the number of entries already shown.
    static func offset(_ page: PageRequest) throws -> Int {
        guard let cursor = page.cursor else { return 0 }
        guard let offset = Int(cursor.position), offset >= 0 else {
            throw APIError.invalidField("cursor", "cursor names nothing in this list")
        }
        return offset
    }
}
