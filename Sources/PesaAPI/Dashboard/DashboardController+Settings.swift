import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import PesaCore
import PesaEngine

extension DashboardController {
    /// The organization's administration pages: the settings (short codes, users, API keys, webhooks and the
    /// callback URLs), billing and the audit log.
    func addSettingsRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("settings", use: settings)
        addShortCodeRoutes(to: group)
        addC2BRegistrationRoutes(to: group)
        addCallbackTokenRoutes(to: group)
        addBatchSettingsRoutes(to: group)
        addC2BValidationRoutes(to: group)
        addEventRoutes(to: group)
        addAccountRoutes(to: group)
        addUserRoutes(to: group)
        addAPIKeyRoutes(to: group)
        addWebhookRoutes(to: group)
        addBillingRoutes(to: group)
        addAuditRoutes(to: group)
    }

    /// `GET /ui/settings`: links to the settings pages the role may open, and (org_admin, who reads the
    /// organization as `GET /v1/orgs/{id}` does) the callback URLs to give Safaricom. A user gets the forbidden
    /// page: nothing here is theirs.
    @Sendable func settings(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .listShortCodes)
        let principal = scope.page.identity.principal
        let allowed = { (action: Action) in principal.authorize(action, in: scope.organization) == .allowed }
        let links: [(String, String, String, Action)] = [
            (
                "/ui/settings/credentials", "Short codes",
                "M-Pesa credentials: the Daraja keys of each paybill, till or B2C number.",
                .listShortCodes
            ),
            ("/ui/settings/users", "Users and roles", "Who may log in, and what they may do.", .listUsers),
            ("/ui/settings/api-keys", "API keys", "Keys of the systems that call the API.", .listAPIKeys),
            (
                "/ui/settings/webhooks", "Webhooks", "Where events are sent, and every delivery.",
                .listWebhookEndpoints
            ),
            (
                "/ui/settings/batches", "Payout batch rules",
                "When a batch waits for approval, and a batch above the balance.", .readPayoutBatch
            ),
            (
                "/ui/settings/c2b-validation", "C2B validation",
                "Which customer payments M-Pesa may take: all, or known account references only.", .registerC2BURLs
            ),
        ]
        var values: [String: Any] = [
            "links": links.filter { allowed($0.3) }.map { ["href": $0.0, "label": $0.1, "about": $0.2] },
            "callbacks_shown": false,
            "notice": DashboardPages.section(
                request.uri.queryParameters.get("done") == "rotated"
                    ? "The callback token was rotated: register the new C2B URLs below with Safaricom (on each "
                        + "paybill or till's page under Short codes)." : nil),
            "can_rotate": allowed(.rotateCallbackToken),
        ]
        if allowed(.readOrganization) {
            let view = try await gateway.organization(scope.organization, by: scope.actor)
            values["callbacks_shown"] = true
            if let token = view.callbackToken {
                let base = gateway.payments.callbackURLBase(slug: view.record.slug.rawValue, token: token)
                values["c2b"] = [CallbackKind.c2bConfirmation, .c2bValidation].map { Self.callbackRow($0, base: base) }
                values["results"] = CallbackKind.allCases.filter { $0 != .c2bConfirmation && $0 != .c2bValidation }
                    .map { Self.callbackRow($0, base: base) }
            } else {
                values["token_missing"] = true
            }
        }
        return try await settingsPage(
            scope, title: "Settings", current: "/ui/settings", template: DashboardTemplates.settings, values: values)
    }

    static func callbackRow(_ kind: CallbackKind, base: String) -> [String: Any] {
        let labels: [CallbackKind: String] = [
            .stk: "STK push results", .c2bConfirmation: "C2B confirmation URL",
            .c2bValidation: "C2B validation URL", .b2cResult: "Payout results", .b2cTimeout: "Payout timeouts",
            .reversalResult: "Reversal results", .reversalTimeout: "Reversal timeouts",
            .balanceResult: "Balance results", .balanceTimeout: "Balance timeouts",
            .statusResult: "Transaction status results", .statusTimeout: "Transaction status timeouts",
        ]
        return ["label": labels[kind] ?? kind.rawValue, "url": base + "/" + kind.rawValue]
    }

    // MARK: Shared by the settings, billing and audit pages

    /// The signed-in caller allowed `action` in the organization the request names (another organization's
    /// is a 404, a role below the action's a 403, as in the API).
    func settingsScope(_ request: Request, context: PesaRequestContext, action: Action) async throws
        -> DashboardScope
    {
        let page = try await signedIn(request, context: context)
        let organization = try context.targetOrganization(request)
        try context.require(action, in: organization)
        return DashboardScope(
            page: page, organization: organization, actor: page.identity.actor(requestID: context.requestID),
            org: page.identity.principal.organizationID == nil ? organization.rawValue : nil)
    }

    /// `template` with `values`, the session's CSRF token and the super admin's `org` query added, in the layout
    /// (reloading itself after `refreshSeconds` when given).
    func settingsPage(
        _ scope: DashboardScope, title: String, current: String, template: MustacheTemplate, values: [String: Any],
        status: HTTPResponse.Status = .ok, refreshSeconds: Int? = nil
    ) async throws -> Response {
        var values = values
        values["csrf_token"] = scope.page.session.csrfToken
        values["org_query"] = scope.orgQuery
        values["org_and"] = scope.orgAnd
        values["org"] = DashboardPages.section(scope.org)
        let name = try await gateway.engine(scope.organization).accessView.organization?.name
        var layout = DashboardLayout(organizationName: name, page: scope.page, currentPath: current)
        layout.refreshSeconds = refreshSeconds
        return DashboardPages.page(title: title, layout: layout, template: template, context: values, status: status)
    }

    /// The form's fields, after its CSRF token was checked.
    func settingsForm(_ request: Request, context: PesaRequestContext, scope: DashboardScope) async throws
        -> [String: String]
    {
        let fields = try await DashboardForm.read(request, context: context, bytesMax: Self.formBytesMax)
        try requireCSRF(fields, page: scope.page)
        return fields
    }

    /// Runs `create` once per form: the form's idempotency key is journaled with the id of what it made (in the
    /// scope of `route` and the caller, as the API's keys are), so the same form sent again gets that id back
    /// (`replayed`) instead of making a second object. Without a usable key, `create` just runs.
    func once(
        route: String, key: String?, hash: String, scope: DashboardScope, create: () async throws -> String
    ) async throws -> (id: String, replayed: Bool) {
        guard let key else { return (try await create(), false) }
        let idempotency = IdempotencyInput(key: key, requestHash: hash)
        let place = AnswerPlace.organization(scope.organization)
        let answerScope = Gateway.idempotencyScope(route, actor: scope.actor)
        if let first = try await gateway.storedAnswer(scope: answerScope, idempotency: idempotency, in: place),
            let id = first.resourceID
        {
            return (id, true)
        }
        let id = try await create()
        try await gateway.storeAnswer(
            StoredAnswer(statusCode: 201, body: "", resourceID: id), scope: answerScope, idempotency: idempotency,
            in: place)
        return (id, false)
    }

    /// The values of the fields `names` as typed, spaces around them dropped ("" for a field not sent).
    static func typedValues(_ names: [String], in fields: [String: String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: names.map { ($0, fields[$0]?.trimmingCharacters(in: .whitespaces) ?? "") })
    }

    /// A form's idempotency key, when it has a usable one.
    static func formKey(_ fields: [String: String]) -> String? {
        fields["idempotency_key"].flatMap {
            Request.isPrintableASCII($0, bytesMax: Limits.idempotencyKeyCharactersMax) ? $0 : nil
        }
    }

    /// The hex SHA-256 of `values` in order, each with its length: what identifies a form's request.
    static func valuesHash(_ values: [String]) -> String {
        let text = values.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return Hex.encodeString(SHA256.hash(data: Data(text.utf8)))
    }

    /// The error a form shows next to its fields (a value refused, a conflict, a key reused); nil for what the
    /// page answers as a whole (403, 404, a failure of the gateway).
    static func formError(_ error: any Error) -> APIError? {
        let apiError = ErrorMapping.apiError(for: error)
        let shown: Set<HTTPResponse.Status> = [.badRequest, .conflict, .unprocessableContent, .serviceUnavailable]
        return shown.contains(apiError.status) ? apiError : nil
    }
}

/// A signed-in request allowed an action in one organization: the caller, as an actor of the use cases, and
/// the `org` a super admin named (kept in every link and form).
struct DashboardScope: Sendable {
    let page: DashboardPage
    let organization: OrganizationID
    let actor: Actor
    let org: String?

    /// `?org=…` for a super admin's links, empty otherwise.
    var orgQuery: String { org.map { "?org=" + $0 } ?? "" }
    /// `&org=…` after another query parameter.
    var orgAnd: String { org.map { "&org=" + $0 } ?? "" }

    /// `path` with the super admin's `org` and `done` (a fixed notice the page names).
    func link(_ path: String, done: String? = nil) -> String {
        var items: [String] = []
        if let done { items.append("done=" + done) }
        if let org { items.append("org=" + org) }
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }
}
