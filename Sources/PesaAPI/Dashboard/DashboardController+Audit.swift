import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    static let auditPageCount = 50

    func addAuditRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("audit", use: audit)
    }

    /// `GET /ui/audit`: the organization's audit log as `GET /v1/audit-log` reads it (org_admin; oldest first,
    /// paged by sequence number with `after`), filtered by action, actor (both exact) and Kenya days `from` to
    /// `to` (both included); and the result of `GET /v1/audit-log/verify`, the walk of the whole hash chain.
    @Sendable func audit(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .readAuditLog)
        let query = request.uri.queryParameters
        let text = { (name: String) in query.get(name)?.trimmingCharacters(in: .whitespaces) ?? "" }
        var form = AuditForm(action: text("action"), actor: text("actor"), from: text("from"), to: text("to"))
        var filter = AuditFilter()
        var after: UInt64 = 0
        for (name, value) in [("action", form.action), ("actor", form.actor)] where !value.isEmpty {
            guard Request.isPrintableASCII(value, bytesMax: Limits.auditFilterBytesMax) else {
                form.errors[name] = "Enter at most \(Limits.auditFilterBytesMax) printable ASCII characters."
                continue
            }
            if name == "action" { filter.action = value } else { filter.actor = value }
        }
        for (name, value, dayAfter) in [("from", form.from, false), ("to", form.to, true)] where !value.isEmpty {
            do {
                let ms = try PaymentListView.kenyaDateMs(value, param: name, dayAfter: dayAfter)
                if dayAfter { filter.toMs = ms } else { filter.fromMs = ms }
            } catch {
                form.errors[name] = "Enter a date such as 2026-01-31."
            }
        }
        if let from = filter.fromMs, let to = filter.toMs, from >= to, form.errors["to"] == nil {
            form.errors["to"] = "The end date comes before the start date."
        }
        if let cursor = query.get("after") {
            guard let seq = UInt64(cursor) else { throw APIError.invalidField("after", "this page link is not ours") }
            after = seq
        }
        var values = form.context
        values["entries_shown"] = form.errors.isEmpty
        if form.errors.isEmpty {
            let found = try await gateway.auditLog(
                in: scope.organization, after: after, limit: Self.auditPageCount + 1, filter: filter, by: scope.actor)
            let shown = found.entries.prefix(Self.auditPageCount)
            let next: UInt64? =
                found.entries.count > Self.auditPageCount ? shown.last?.seq : found.stoppedAfter
            values["entries"] = shown.map { entry in
                [
                    "seq": String(entry.seq), "at": DashboardFormat.kenyaTime(ms: entry.atMs), "actor": entry.actor,
                    "action": entry.action, "target": entry.target, "request": entry.requestID,
                ]
            }
            values["entries_empty"] = shown.isEmpty
            values["next"] = DashboardPages.section(next.map { form.link(after: $0, org: scope.org) })
            values["first"] = DashboardPages.section(after > 0 ? form.link(after: nil, org: scope.org) : nil)
        }
        if scope.page.identity.principal.authorize(.verifyAuditLog, in: scope.organization) == .allowed {
            let check = try await gateway.verifyAuditLog(in: scope.organization, by: scope.actor)
            values["verification"] =
                [
                    "ok": check.ok, "count": String(check.entries), "head": check.head, "problems": check.problems,
                ] as [String: Any]
        }
        return try await settingsPage(
            scope, title: "Audit log", current: "/ui/audit", template: DashboardTemplates.audit, values: values,
            status: form.errors.isEmpty ? .ok : .unprocessableContent)
    }
}

/// The audit page's filters as typed and what reading them found wrong.
struct AuditForm {
    var action: String
    var actor: String
    var from: String
    var to: String
    var errors: [String: String] = [:]

    /// `/ui/audit?…` with the filters as typed, the page's start and the super admin's `org`.
    func link(after: UInt64?, org: String?) -> String {
        var items: [URLQueryItem] = []
        for (name, value) in [("action", action), ("actor", actor), ("from", from), ("to", to)] where !value.isEmpty {
            items.append(URLQueryItem(name: name, value: value))
        }
        if let after { items.append(URLQueryItem(name: "after", value: String(after))) }
        if let org { items.append(URLQueryItem(name: "org", value: org)) }
        var components = URLComponents()
        components.path = "/ui/audit"
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? "/ui/audit"
    }

    var context: [String: Any] {
        let specs = [
            ("action", "Action (e.g. user.create)", action, "text"),
            ("actor", "Actor (usr_…, key_…)", actor, "text"),
            ("from", "From (Kenya date)", from, "date"), ("to", "To (Kenya date, included)", to, "date"),
        ]
        return [
            "filters": specs.map { name, label, value, type in
                [
                    "name": name, "label": label, "value": value, "input_type": type,
                    "error": DashboardPages.section(errors[name]),
                ] as [String: Any]
            },
            "verification": false,
        ]
    }
}
