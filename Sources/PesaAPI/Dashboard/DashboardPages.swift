import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import PesaCore

/// The header of every page: the organization, the user, and links to the pages the role may open.
struct DashboardLayout {
    var organizationName: String?
    var page: DashboardPage?
    var currentPath = ""
    /// A page that changes by itself (a pending payment) reloads after this many seconds.
    var refreshSeconds: Int?

    /// The dashboard's pages, each with the action its API counterpart requires, in the order of the menu.
    static let pages: [(path: String, label: String, action: Action, organization: Bool)] = [
        ("/ui/", "Overview", .listTransactions, true),
        ("/ui/payments", "Payments", .listTransactions, true),
        ("/ui/payouts", "Payouts", .listTransactions, true),
        ("/ui/batches", "Batches", .readPayoutBatch, true),
        ("/ui/reports", "Reports", .readReportSummary, true),
        ("/ui/settings", "Settings", .listShortCodes, true),
        ("/ui/billing", "Billing", .readSubscription, true),
        ("/ui/audit", "Audit", .readAuditLog, true),
        ("/ui/admin/orgs", "Organizations", .createOrganization, false),
        ("/ui/admin/plans", "Plans", .listPlans, false),
        ("/ui/admin/usage", "Usage", .readAllUsage, false),
        ("/ui/admin/billing", "Billing runs", .manageBilling, false),
        ("/ui/admin/health", "Health", .metrics, false),
    ]

    /// The menu of `principal`: a super admin (who belongs to no organization) gets the instance's pages, every
    /// other role its organization's pages its role may open.
    static func navigation(for principal: Principal, currentPath: String) -> [[String: Any]] {
        pages.filter { page in
            guard principal.role.permits(page.action) else { return false }
            return principal.organizationID == nil ? !page.organization || page.path == "/ui/" : page.organization
        }.map { ["href": $0.path, "label": $0.label, "current": $0.path == currentPath] as [String: Any] }
    }

    func context(title: String, body: String) -> [String: Any] {
        var context: [String: Any] = [
            "title": title, "body": body, "org_name": DashboardPages.section(organizationName),
            "refresh": DashboardPages.section(refreshSeconds.map(String.init)),
        ]
        if let page {
            context["signed_in"] = true
            context["email"] = page.session.email
            context["account_current"] = currentPath == "/ui/account"
            context["role"] = page.identity.role.rawValue
            context["csrf_token"] = page.session.csrfToken
            context["nav"] = Self.navigation(for: page.identity.principal, currentPath: currentPath)
        }
        return context
    }
}

/// Rendering and the answers every page shares.
enum DashboardPages {
    /// `template` rendered with `context`, inside the layout, as an HTML answer.
    static func page(
        title: String, layout: DashboardLayout, template: MustacheTemplate, context: [String: Any],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let body = template.render(context)
        let html = DashboardTemplates.layout.render(layout.context(title: title, body: body))
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A text for a `{{#name}}…{{/name}}` section: the text, or false (the section left out) when there is none.
    static func section(_ text: String?) -> Any {
        if let text { return text }
        return false
    }

    /// 303 See Other to a local path.
    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A page explaining why the request was refused.
    static func problem(status: HTTPResponse.Status, heading: String, message: String) -> Response {
        page(
            title: heading, layout: DashboardLayout(), template: DashboardTemplates.problem,
            context: ["heading": heading, "message": message, "back": "/ui/", "back_label": "Go to the overview"],
            status: status)
    }
}

/// A form that shows a refusal next to the field the API names (one of `fieldNames`), else above the form.
protocol DashboardFieldForm {
    static var fieldNames: [String] { get }
    var errors: [String: String] { get set }
    var error: String? { get set }
}

extension DashboardFieldForm {
    /// The API's message next to the field it names, else above the form.
    mutating func fail(_ apiError: APIError) {
        if let param = apiError.param, Self.fieldNames.contains(param) {
            errors[param] = apiError.message
        } else {
            error = apiError.message
        }
    }
}

/// A form body (`application/x-www-form-urlencoded`), as names and values; a name given twice keeps its first
/// value.
enum DashboardForm {
    static func read(_ request: Request, context: PesaRequestContext, bytesMax: Int) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: bytesMax)
        return parse(String(buffer: buffer))
    }

    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), fields[name] == nil else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return fields
    }

    static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

/// Where a page may send the browser back to.
enum DashboardPaths {
    /// Whether `path` is one of the dashboard's (`/ui` or under `/ui/`).
    static func isDashboard(_ path: String) -> Bool {
        path == "/ui" || path.hasPrefix("/ui/")
    }

    /// `text` when it is a path of the dashboard (`/ui` or under `/ui/`, no scheme, host, `//`, backslash or
    /// control character); nil otherwise, so a login never sends anyone to another site.
    static func localTarget(_ text: String?) -> String? {
        guard let text, text == "/ui" || text.hasPrefix("/ui/"), text.utf8.count <= 512, !text.contains("//"),
            !text.contains("\\"), text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F })
        else { return nil }
        return text
    }
}
