import Hummingbird
import PesaCore
import PesaEngine

/// `/v1/audit-log`: every change and money-moving request, hash-chained in the organization's journal.
struct AuditController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.listSpec, use: list)
        routes.add(Self.verifySpec, use: verify)
    }

    struct EntryJSON: Encodable, Sendable {
        let seq: UInt64
        let actor: String
        let action: String
        let target: String
        let requestID: String
        let at: String
        let hash: String

        enum CodingKeys: String, CodingKey {
            case seq, actor, action, target, at, hash
            case requestID = "request_id"
        }
    }

    struct VerifyJSON: ResponseEncodable, Sendable {
        let ok: Bool
        let entries: Int64
        let head: String
        let problems: [String]
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<EntryJSON> {
        let identity = try context.requireIdentity()
        let page = try PageRequest(request: request)
        let after = try page.journalSeqAfter()
        let actor = identity.actor(requestID: context.requestID)
        let filter = try Self.filter(request)
        let found =
            Self.namesSystem(request, identity)
            ? try await gateway.systemAuditLog(after: after, limit: page.limit + 1, filter: filter, by: actor)
            : try await gateway.auditLog(
                in: try context.targetOrganization(request), after: after, limit: page.limit + 1, filter: filter,
                by: actor)
        let shown = found.entries.prefix(page.limit)
        // A walk that stopped early (a filter that matches little) may give a short or empty page: the cursor
        // goes on from where it stopped.
        let next = page.nextJournalCursor(
            found: found.entries.count, lastShownSeq: shown.last?.seq, stoppedAfter: found.stoppedAfter)
        return ListResponse(
            data: shown.map {
                EntryJSON(
                    seq: $0.seq, actor: $0.actor, action: $0.action, target: $0.target, requestID: $0.requestID,
                    at: RFC3339.string(ms: $0.atMs), hash: $0.hash)
            }, nextCursor: next)
    }

    @Sendable func verify(_ request: Request, context: PesaRequestContext) async throws -> VerifyJSON {
        let identity = try context.requireIdentity()
        let actor = identity.actor(requestID: context.requestID)
        let result =
            Self.namesSystem(request, identity)
            ? try await gateway.verifySystemAuditLog(by: actor)
            : try await gateway.verifyAuditLog(in: try context.targetOrganization(request), by: actor)
        return VerifyJSON(ok: result.ok, entries: result.entries, head: result.head, problems: result.problems)
    }

    /// `?from=&to=` (RFC 3339; `from` inclusive, `to` exclusive), `?actor=` and `?action=` (exact; 1 to 200
    /// printable ASCII characters, as journaled ids and action names are).
    static func filter(_ request: Request) throws -> AuditFilter {
        let range = try TimeRange(request: request)
        let query = request.uri.queryParameters
        func exact(_ name: String) throws -> String? {
            guard let value = query[Substring(name)].map(String.init) else { return nil }
            let max = Limits.auditFilterBytesMax
            guard Request.isPrintableASCII(value, bytesMax: max) else {
                throw APIError.invalidField(name, "\(name) must be 1 to \(max) printable ASCII characters")
            }
            return value
        }
        return AuditFilter(
            fromMs: range.fromMs, toMs: range.toMs, actor: try exact("actor"), action: try exact("action"))
    }

    /// `?org=system` from a super_admin: the instance's own log (super admins created, their logins and
    /// logouts). Anyone else reads their own organization's log, whatever `org` says (as for any other value).
    static func namesSystem(_ request: Request, _ identity: Identity) -> Bool {
        identity.role == .superAdmin && request.uri.queryParameters.get("org") == "system"
    }

    static let entry = JSONSchema.object([
        "seq": JSONSchema.integer, "actor": JSONSchema.string, "action": JSONSchema.string, "target": JSONSchema.string,
        "request_id": JSONSchema.string, "at": JSONSchema.dateTime, "hash": JSONSchema.string,
    ])
    static let listSpec = RouteSpec(
        .get, "/v1/audit-log",
        summary: "Audit entries, oldest first, by time, actor and action "
            + "(super_admin: ?org=org_… or ?org=system for the instance's own log); a page may hold fewer "
            + "entries than asked, even none, while next_cursor is not null: follow it",
        action: .readAuditLog, tag: "audit",
        query: JSONSchema.pageQuery.merging([
            "org": JSONSchema.string, "from": JSONSchema.dateTime, "to": JSONSchema.dateTime,
            "actor": JSONSchema.string, "action": JSONSchema.string,
        ]) { $1 },
        responseBody: JSONSchema.page(of: entry), errors: [.invalidField])
    static let verifySpec = RouteSpec(
        .get, "/v1/audit-log/verify", summary: "Walk the organization's hash chain", action: .verifyAuditLog,
        tag: "audit", query: ["org": JSONSchema.string],
        responseBody: JSONSchema.object([
            "ok": JSONSchema.boolean, "entries": JSONSchema.integer, "head": JSONSchema.string,
            "problems": JSONSchema.array(of: JSONSchema.string),
        ]))
}
