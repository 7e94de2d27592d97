import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import PesaCore
import PesaEngine

extension DashboardController {
    static let operatorPageCount = 50

    /// The instance's pages under `/ui/admin/` (super admin only, as their API routes): organizations, plans,
    /// usage across organizations, billing runs and invoices, and the instance's health.
    func addOperatorRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("admin/orgs", use: operatorOrganizations)
        group.post("admin/orgs", use: createOperatorOrganization)
        addOperatorOrganizationRoutes(to: group)
        addOperatorPlanRoutes(to: group)
        addOperatorBillingRoutes(to: group)
        group.get("admin/health", use: operatorHealth)
    }

    // MARK: Shared by the operator pages

    /// The signed-in caller allowed the instance-wide `action` (super_admin): anyone else gets the forbidden
    /// page, whatever the object named, before anything is read.
    func operatorScope(_ request: Request, context: PesaRequestContext, action: Action) async throws
        -> OperatorScope
    {
        let page = try await signedIn(request, context: context)
        try context.require(action)
        return OperatorScope(page: page, actor: page.identity.actor(requestID: context.requestID))
    }

    /// `template` with `values` and the session's CSRF token, in the layout (no organization named).
    func operatorPage(
        _ scope: OperatorScope, title: String, current: String, template: MustacheTemplate, values: [String: Any],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = values
        values["csrf_token"] = scope.page.session.csrfToken
        return DashboardPages.page(
            title: title, layout: DashboardLayout(page: scope.page, currentPath: current), template: template,
            context: values, status: status)
    }

    /// The form's fields, after its CSRF token was checked.
    func operatorForm(_ request: Request, context: PesaRequestContext, scope: OperatorScope) async throws
        -> [String: String]
    {
        let fields = try await DashboardForm.read(request, context: context, bytesMax: Self.formBytesMax)
        try requireCSRF(fields, page: scope.page)
        return fields
    }

    /// Runs `run` once per form, as `once` does for an organization's forms: the form's idempotency key is
    /// journaled in `place` with what `run` gives (an id and a short text), and the same form sent again gets
    /// those back (`replayed`) instead of acting twice. Without a usable key, `run` just runs.
    func onceIn(
        _ place: AnswerPlace, route: String, key: String?, hash: String, scope: OperatorScope,
        run: () async throws -> (id: String, text: String)
    ) async throws -> (id: String, text: String, replayed: Bool) {
        guard let key else {
            let done = try await run()
            return (done.id, done.text, false)
        }
        let idempotency = IdempotencyInput(key: key, requestHash: hash)
        let answerScope = Gateway.idempotencyScope(route, actor: scope.actor)
        if let first = try await gateway.storedAnswer(scope: answerScope, idempotency: idempotency, in: place),
            let id = first.resourceID
        {
            return (id, first.body, true)
        }
        let done = try await run()
        try await gateway.storeAnswer(
            StoredAnswer(statusCode: 200, body: done.text, resourceID: done.id), scope: answerScope,
            idempotency: idempotency, in: place)
        return (done.id, done.text, false)
    }

    // MARK: Organizations

    /// `GET /ui/admin/orgs`: the organizations as `GET /v1/orgs` lists them to a super admin (by slug, paged
    /// with `after`), and the form of `POST /v1/orgs`.
    @Sendable func operatorOrganizations(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await operatorScope(request, context: context, action: .createOrganization)
        let after = request.uri.queryParameters.get("after").map { String($0) }
        return try await organizationsPage(scope, after: after, form: OrganizationCreateForm())
    }

    func organizationsPage(
        _ scope: OperatorScope, after: String? = nil, form: OrganizationCreateForm,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (views, more) = try await gateway.organizations(
            by: scope.actor, after: after, limit: Self.operatorPageCount)
        let rows: [[String: Any]] = views.map { view in
            [
                "id": view.record.id.rawValue, "name": view.record.name, "slug": view.record.slug.rawValue,
                "plan": view.record.plan, "subscription": view.record.subscriptionStatus.rawValue,
                "status": view.record.status.rawValue,
                "created": DashboardFormat.kenyaTime(ms: view.record.createdAtMs),
            ]
        }
        let plans = try await gateway.plans(by: scope.actor).map(\.plan.name)
        var values = form.context(plans: plans)
        values["rows"] = rows
        values["empty"] = rows.isEmpty
        values["next"] = DashboardPages.section(
            more ? views.last.map { "/ui/admin/orgs?after=" + $0.record.id.rawValue } : nil)
        values["first"] = DashboardPages.section(after != nil ? "/ui/admin/orgs" : nil)
        return operatorPage(
            scope, title: "Organizations", current: "/ui/admin/orgs",
            template: DashboardTemplates.operatorOrganizations,
            values: values, status: status)
    }

    /// `POST /ui/admin/orgs`: `Gateway.createOrganization`, the use case of `POST /v1/orgs`, once per form (its
    /// idempotency key, journaled in the instance's folder as the API's). Its first org_admin is then added on
    /// the organization's users page, as `POST /v1/orgs/{id}/users` does.
    @Sendable func createOperatorOrganization(_ request: Request, context: PesaRequestContext) async throws
        -> Response
    {
        let scope = try await operatorScope(request, context: context, action: .createOrganization)
        let fields = try await operatorForm(request, context: context, scope: scope)
        var form = OrganizationCreateForm()
        for name in OrganizationCreateForm.fieldNames {
            form.values[name] = fields[name]?.trimmingCharacters(in: .whitespaces) ?? ""
        }
        let (name, slug, plan) = (form.values["name"] ?? "", form.values["slug"] ?? "", form.values["plan"] ?? "")
        do {
            let made = try await onceIn(
                .system, route: "POST /ui/admin/orgs", key: Self.formKey(fields),
                hash: Self.valuesHash([name, slug, plan]), scope: scope
            ) {
                let view = try await gateway.createOrganization(
                    name: name, slug: slug, plan: plan.isEmpty ? "free" : plan, by: scope.actor)
                return (view.record.id.rawValue, "")
            }
            return DashboardPages.redirect(to: "/ui/admin/orgs/\(made.id)?done=created")
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            form.fail(apiError)
            return try await organizationsPage(scope, form: form, status: apiError.status)
        }
    }
}

/// A signed-in super admin, as an actor of the use cases.
struct OperatorScope: Sendable {
    let page: DashboardPage
    let actor: Actor
}

/// The new organization form as typed, and what refused it.
struct OrganizationCreateForm: DashboardFieldForm {
    static let fieldNames = ["name", "slug", "plan"]

    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    var error: String?

    func context(plans: [String]) -> [String: Any] {
        let chosen = values["plan"].flatMap { $0.isEmpty ? nil : $0 } ?? "free"
        return [
            "fields": [("name", "Name"), ("slug", "Slug (lower-case letters, digits and dashes)")].map { name, label in
                [
                    "name": name, "label": label, "value": values[name] ?? "",
                    "error": DashboardPages.section(errors[name]),
                ] as [String: Any]
            },
            "plans": plans.map { ["value": $0, "selected": $0 == chosen] as [String: Any] },
            "plan_error": DashboardPages.section(errors["plan"]), "error": DashboardPages.section(error),
            "idempotency_key": DashboardSessions.randomToken(),
        ]
    }
}
