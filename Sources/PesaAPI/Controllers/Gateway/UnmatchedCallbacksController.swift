import Hummingbird
import PesaCore
import PesaEngine

/// `GET /v1/callbacks/unmatched`: Daraja callbacks that settled nothing (no payment of the organization had
/// their ids, or their body could not be read), as received, so money they describe is seen by a person.
struct UnmatchedCallbacksController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.listSpec, use: list)
    }

    struct CallbackJSON: Encodable, Sendable {
        let seq: UInt64
        let kind: String
        let disposition: String
        let body: String
        let receivedAt: String

        enum CodingKeys: String, CodingKey {
            case seq, kind, disposition, body
            case receivedAt = "received_at"
        }
    }

    /// The `disposition` filter: orphan, malformed, or none (both).
    static func disposition(_ text: String?) throws(APIError) -> TenantEvent.CallbackDisposition? {
        guard let text else { return nil }
        guard let parsed = TenantEvent.CallbackDisposition(rawValue: text), parsed == .orphan || parsed == .malformed
        else { throw APIError.invalidField("disposition", "disposition must be orphan or malformed") }
        return parsed
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<CallbackJSON> {
        let identity = try context.requireIdentity()
        let page = try PageRequest(request: request)
        let after = try page.journalSeqAfter()
        let found = try await gateway.unmatchedCallbacks(
            in: try context.targetOrganization(request), after: after, limit: page.limit + 1,
            disposition: try Self.disposition(request.uri.queryParameters.get("disposition")),
            by: identity.actor(requestID: context.requestID))
        let shown = found.callbacks.prefix(page.limit)
        let next = page.nextJournalCursor(
            found: found.callbacks.count, lastShownSeq: shown.last?.seq, stoppedAfter: found.stoppedAfter)
        return ListResponse(
            data: shown.map {
                CallbackJSON(
                    seq: $0.seq, kind: $0.kind.rawValue, disposition: $0.disposition.rawValue, body: $0.body,
                    receivedAt: RFC3339.string(ms: $0.atMs))
            }, nextCursor: next)
    }

    static let listSpec = RouteSpec(
        .get, "/v1/callbacks/unmatched",
        summary: "Daraja callbacks that settled nothing (orphan: no payment has their ids; malformed: unreadable, "
            + "e.g. a C2B TransAmount), oldest first, with their bodies as received; a page may hold fewer than "
            + "asked while next_cursor is not null: follow it",
        action: .listUnmatchedCallbacks, tag: "payments",
        query: JSONSchema.pageQuery.merging(["org": JSONSchema.string, "disposition": JSONSchema.string]) { $1 },
        responseBody: JSONSchema.page(of: JSONSchema.object([
            "seq": JSONSchema.integer, "kind": JSONSchema.string, "disposition": JSONSchema.string,
            "body": JSONSchema.string, "received_at": JSONSchema.dateTime,
        ])), errors: [.invalidField])
}
