import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    /// The customer payments' pages: the sandbox's C2B simulate, and the callbacks that matched no payment.
    func addC2BRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("payments/simulate", use: simulateForm)
        group.post("payments/simulate", use: simulate)
        group.get("payments/unmatched", use: unmatchedCallbacks)
    }

    /// `GET /ui/payments/simulate`: the form making Daraja's sandbox pay one of the organization's sandbox short
    /// codes (the role of `POST /v1/c2b/simulate`); an organization with production short codes only is told
    /// that simulate exists in the sandbox only.
    @Sendable func simulateForm(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .simulateC2B)
        var form = SimulateFormView()
        form.sent = request.uri.queryParameters.get("done") == "sent"
        return try await simulatePage(form, scope: scope)
    }

    /// `POST /ui/payments/simulate`: the simulation through the same use case as `POST /v1/c2b/simulate`, sent
    /// once per form (its idempotency key). Success: 303 to the form saying it was sent; an error (a production
    /// short code is refused as the API refuses it): the form again, what was typed kept, the message next to
    /// the field it names.
    @Sendable func simulate(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .simulateC2B)
        let fields = try await settingsForm(request, context: context, scope: scope)
        var form = SimulateFormView()
        for name in SimulateFormView.fieldNames + ["short_code"] {
            form.values[name] = fields[name]?.trimmingCharacters(in: .whitespaces)
        }
        guard let amount = Self.wholeShillings(&form) else {
            return try await simulatePage(form, scope: scope, status: .unprocessableContent)
        }
        let values = form.values
        let shortCode = values["short_code"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            let hash = Self.valuesHash(
                ["simulate", String(amount), values["phone"] ?? "", values["account_reference"] ?? "", shortCode ?? ""])
            _ = try await once(
                route: "POST /ui/payments/simulate", key: Self.formKey(fields), hash: hash, scope: scope
            ) {
                try await gateway.simulateC2B(
                    amount: amount, phone: values["phone"] ?? "", accountReference: values["account_reference"] ?? "",
                    shortCode: shortCode, in: scope.organization, by: scope.actor
                ).originatorConversationID
            }
            return DashboardPages.redirect(to: scope.link("/ui/payments/simulate", done: "sent"))
        } catch {
            guard let shown = Self.formError(error) else { throw error }
            form.fail(param: shown.param, message: shown.message)
            return try await simulatePage(form, scope: scope, status: shown.status)
        }
    }

    /// The simulate form with the organization's sandbox short codes that collect, and a new idempotency key.
    func simulatePage(_ form: SimulateFormView, scope: DashboardScope, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        var form = form
        form.shortCodes = try await gateway.engine(scope.organization).read { state in
            state.activeShortCodes.filter { $0.kind.collects && $0.environment == "sandbox" }.map(\.shortCode)
        }
        var values = form.context
        values["idempotency_key"] = DashboardSessions.randomToken()
        values["list"] = scope.link("/ui/payments") + (scope.org == nil ? "?" : "&") + "type=c2b"
        return try await settingsPage(
            scope, title: "Simulate a customer payment", current: "/ui/payments",
            template: DashboardTemplates.simulateForm, values: values, status: status)
    }

    /// `GET /ui/payments/unmatched`: the callbacks from M-Pesa that settled nothing (the role of
    /// `GET /v1/callbacks/unmatched`), oldest first, each with its body as received shown as text, paged as the
    /// API pages them (`limit`, `cursor`).
    @Sendable func unmatchedCallbacks(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .listUnmatchedCallbacks)
        let paging = try PageRequest(request: request)
        let chosen = request.uri.queryParameters.get("disposition").flatMap { $0.isEmpty ? nil : $0 }
        let disposition = try UnmatchedCallbacksController.disposition(chosen)
        let found = try await gateway.unmatchedCallbacks(
            in: scope.organization, after: try paging.journalSeqAfter(), limit: paging.limit + 1,
            disposition: disposition, by: scope.actor)
        let shown = found.callbacks.prefix(paging.limit)
        let next = paging.nextJournalCursor(
            found: found.callbacks.count, lastShownSeq: shown.last?.seq, stoppedAfter: found.stoppedAfter)
        var items: [URLQueryItem] = []
        if let org = scope.org { items.append(URLQueryItem(name: "org", value: org)) }
        if let disposition { items.append(URLQueryItem(name: "disposition", value: disposition.rawValue)) }
        if let limit = request.uri.queryParameters.get("limit") {
            items.append(URLQueryItem(name: "limit", value: limit))
        }
        let link = { (cursor: PageCursor?) -> String in
            var components = URLComponents()
            components.path = "/ui/payments/unmatched"
            let all = items + (cursor.map { [URLQueryItem(name: "cursor", value: $0.token)] } ?? [])
            components.queryItems = all.isEmpty ? nil : all
            return components.string ?? "/ui/payments/unmatched"
        }
        return try await settingsPage(
            scope, title: "Unmatched callbacks", current: "/ui/payments", template: DashboardTemplates.unmatched,
            values: [
                "rows": shown.map { callback in
                    [
                        "seq": String(callback.seq), "kind": callback.kind.rawValue,
                        "disposition": callback.disposition.rawValue,
                        "received": DashboardFormat.kenyaTime(ms: callback.atMs), "body": callback.body,
                    ]
                },
                "empty": shown.isEmpty, "next": DashboardPages.section(next.map(link)),
                "first": DashboardPages.section(paging.cursor == nil ? nil : link(nil)),
                "payments": scope.link("/ui/payments"), "org": DashboardPages.section(scope.org),
                "dispositions": [TenantEvent.CallbackDisposition.orphan, .malformed].map { choice -> [String: Any] in
                    ["value": choice.rawValue, "selected": choice == disposition]
                },
            ])
    }

    /// The links and the status form the payment list offers, each to the roles of its API route.
    func paymentTools(_ scope: DashboardScope, engine: TenantEngine) async throws -> [String: Any] {
        let allowed = { (action: Action) in
            scope.page.identity.principal.authorize(action, in: scope.organization) == .allowed
        }
        var tools: [String: Any] = [:]
        if allowed(.listUnmatchedCallbacks) { tools["unmatched"] = scope.link("/ui/payments/unmatched") }
        if allowed(.simulateC2B),
            try await engine.read({ state in
                state.activeShortCodes.contains { $0.kind.collects && $0.environment == "sandbox" }
            })
        {
            tools["simulate"] = scope.link("/ui/payments/simulate")
        }
        if allowed(.createTransactionStatusQuery) {
            tools["status"] = [
                "csrf_token": scope.page.session.csrfToken, "idempotency_key": DashboardSessions.randomToken(),
            ]
        }
        return tools
    }
}

/// The C2B simulate form's values as typed, their errors, and the sandbox short codes it may simulate on.
struct SimulateFormView: DashboardMoneyForm {
    static let fieldNames = ["phone", "amount", "account_reference"]
    static let labels = [
        "phone": "Customer's phone", "amount": "Amount (KES, whole shillings)",
        "account_reference": "Account reference",
    ]

    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    var error: String?
    var org: String?
    var shortCodes: [String] = []
    /// The form was sent: the page says so.
    var sent = false

    mutating func fail(param: String?, message: String) {
        fail(param: param, message: message, fields: Self.fieldNames + ["short_code"])
    }

    var context: [String: Any] {
        let selected = values["short_code"] ?? shortCodes.first
        return [
            "error": DashboardPages.section(error), "sent": sent, "no_short_code": shortCodes.isEmpty,
            "form_shown": !shortCodes.isEmpty, "short_codes_shown": shortCodes.count > 1,
            "short_codes": shortCodes.map {
                ["value": $0, "label": $0, "selected": $0 == selected] as [String: Any]
            },
            "short_code_error": DashboardPages.section(errors["short_code"]),
            "fields": fieldRows(Self.fieldNames, labels: Self.labels),
        ]
    }
}
