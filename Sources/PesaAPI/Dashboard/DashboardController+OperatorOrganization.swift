import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addOperatorOrganizationRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("admin/orgs/:id", use: operatorOrganization)
        group.post("admin/orgs/:id/plan", use: changeOrganizationPlan)
        group.post("admin/orgs/:id/subscription", use: changeOrganizationSubscription)
        group.post("admin/orgs/:id/rate-limit", use: changeOrganizationRateLimit)
        group.post("admin/orgs/:id/name", use: renameOrganization)
        group.post("admin/orgs/:id/status", use: changeOrganizationStatus)
        group.post("admin/orgs/:id/callback-token", use: rotateOrganizationCallbackToken)
    }

    /// `GET /ui/admin/orgs/{id}`: the organization as `GET /v1/orgs/{id}` reads it (with its callback URL base,
    /// and until when a replaced callback token is still accepted), its subscription, and the super admin's
    /// forms of `PATCH /v1/orgs/{id}`: the name, the status, the plan, the subscription status (with its reason,
    /// audited) and the rate limit, and the callback token's rotation; links to its own pages with `?org=`.
    @Sendable func operatorOrganization(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await operatorScope(request, context: context, action: .updateOrganizationBilling)
        let notices = [
            "created": "The organization was created. Add its first org_admin on its users page.",
            "plan": "The plan was changed.", "subscription": "The subscription status was changed.",
            "rate-limit": "The rate limit was changed.", "name": "The organization was renamed.",
            "status": "The organization's status was changed.",
            "callback-token": "The callback token was replaced: register the C2B URLs again with the new base.",
        ]
        let notice = request.uri.queryParameters.get("done").flatMap { notices[String($0)] }
        return try await organizationPage(scope, id: try operatorOrganizationID(context), notice: notice)
    }

    func organizationPage(
        _ scope: OperatorScope, id: OrganizationID, notice: String? = nil, form: OrganizationChangeForm? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let view = try await gateway.organization(id, by: scope.actor)
        let state = try await gateway.subscription(in: id, by: scope.actor)
        let record = view.record
        let plans = try await gateway.plans(by: scope.actor).map(\.plan.name)
        let inForce = try await gateway.rateLimit(of: id)
        let org = record.id.rawValue
        var form = form ?? OrganizationChangeForm(kind: "")
        if form.kind != "subscription" {
            form.values["subscription_status"] = state.status == .suspended ? "active" : "suspended"
        }
        if form.kind != "plan" { form.values["plan"] = record.plan }
        if form.kind != "name" { form.values["name"] = record.name }
        if form.kind != "status" { form.values["status"] = record.status == .active ? "disabled" : "active" }
        let callbackBase = view.callbackToken.map {
            gateway.payments.callbackURLBase(slug: record.slug.rawValue, token: $0)
        }
        let previousUntil = record.previousCallbackTokenValidUntilMs.flatMap {
            $0 > gateway.wallClockMs ? DashboardFormat.kenyaTime(ms: $0) : nil
        }
        let links: [(String, String)] = [
            ("/ui/", "Overview"), ("/ui/payments", "Payments"), ("/ui/settings/users", "Users"),
            ("/ui/settings", "Settings"), ("/ui/billing", "Billing"), ("/ui/audit", "Audit log"),
        ]
        var values = form.context(plans: plans)
        values.merge([
            "id": org, "name": record.name, "slug": record.slug.rawValue, "plan": record.plan,
            "fee": DashboardFormat.kes(view.planDetails?.monthlyFee ?? .zero), "status": record.status.rawValue,
            "subscription": state.status.rawValue, "reason": DashboardPages.section(state.record.reason),
            "period": DashboardFormat.kenyaTime(ms: state.currentPeriodStartMs) + " to "
                + DashboardFormat.kenyaTime(ms: state.currentPeriodEndMs) + " EAT",
            "created": DashboardFormat.kenyaTime(ms: record.createdAtMs),
            "updated": DashboardFormat.kenyaTime(ms: record.updatedAtMs),
            "in_force": inForce.map(Self.rateLimitText) ?? "none",
            "plan_limit": view.planDetails.map { Self.rateLimitText($0.effectiveRateLimit(override: nil)) } ?? "",
            "override": DashboardPages.section(record.rateLimitOverrideLimit.map(Self.rateLimitText)),
            "callback_url_base": callbackBase ?? "", "callback_missing": callbackBase == nil,
            "previous_token_until": DashboardPages.section(previousUntil),
            "links": links.map { ["href": $0.0 + "?org=" + org, "label": $0.1] },
            "notice": DashboardPages.section(notice),
        ]) { $1 }
        return operatorPage(
            scope, title: record.name, current: "/ui/admin/orgs", template: DashboardTemplates.operatorOrganization,
            values: values, status: status)
    }

    static func rateLimitText(_ limit: RateLimit) -> String {
        "\(limit.perMinute) a minute" + (limit.burst.map { ", bursts of \($0)" } ?? "")
    }

    /// `POST /ui/admin/orgs/{id}/plan`: `Gateway.updateOrganization` with a plan, at once (as the API's PATCH).
    @Sendable func changeOrganizationPlan(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await changeOrganization(request, context: context, kind: "plan") { fields, form in
            var changes = OrganizationChanges()
            changes.plan = form.typed("plan", from: fields)
            return changes
        }
    }

    /// `POST /ui/admin/orgs/{id}/name`: `Gateway.updateOrganization` with a new name (as the API's PATCH, which
    /// trims it and takes 1 to 100 characters).
    @Sendable func renameOrganization(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await changeOrganization(request, context: context, kind: "name") { fields, form in
            var changes = OrganizationChanges()
            changes.name = form.typed("name", from: fields)
            return changes
        }
    }

    /// `POST /ui/admin/orgs/{id}/status`: the organization's status (`active` or `disabled`), as the API's
    /// PATCH sets it.
    @Sendable func changeOrganizationStatus(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await changeOrganization(request, context: context, kind: "status") { fields, form in
            let text = form.typed("status", from: fields)
            guard let status = OrganizationStatus(rawValue: text) else {
                throw APIError.invalidField(
                    "status", "Choose one of \(OrganizationStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            var changes = OrganizationChanges()
            changes.status = status
            return changes
        }
    }

    /// `POST /ui/admin/orgs/{id}/subscription`: the subscription status set by hand (suspend, reactivate, …),
    /// with the reason the use case requires and audits (`subscription.set` in the organization's log).
    @Sendable func changeOrganizationSubscription(_ request: Request, context: PesaRequestContext) async throws
        -> Response
    {
        try await changeOrganization(request, context: context, kind: "subscription") { fields, form in
            let text = form.typed("subscription_status", from: fields)
            guard let status = SubscriptionStatus(rawValue: text) else {
                throw APIError.invalidField("subscription_status", "Choose a subscription status.")
            }
            var changes = OrganizationChanges()
            changes.subscriptionStatus = status
            changes.subscriptionReason = form.typed("reason", from: fields)
            return changes
        }
    }

    /// `POST /ui/admin/orgs/{id}/rate-limit`: an override of the plan's rate limit (requests a minute, and a
    /// burst or none), or, with `clear`, the override removed (the plan's limit applies again).
    @Sendable func changeOrganizationRateLimit(_ request: Request, context: PesaRequestContext) async throws
        -> Response
    {
        try await changeOrganization(request, context: context, kind: "rate-limit") { fields, form in
            var changes = OrganizationChanges()
            if fields["clear"] != nil {
                changes.clearRateLimitOverride = true
                return changes
            }
            let perMinute = form.typed("per_minute", from: fields)
            guard let limit = Int64(perMinute) else {
                throw APIError.invalidField("per_minute", "Enter a whole number of requests a minute.")
            }
            changes.rateLimitOverride = limit
            let burst = form.typed("burst", from: fields)
            if !burst.isEmpty {
                guard let value = Int64(burst) else {
                    throw APIError.invalidField("burst", "Enter a whole number, or leave it blank.")
                }
                changes.rateLimitBurstOverride = value
            }
            return changes
        }
    }

    /// `POST /ui/admin/orgs/{id}/callback-token`: a new callback token through the use case of
    /// `POST /v1/orgs/{id}/callback-token/rotate` (audited there, never with the tokens): the replaced one stays
    /// accepted for `previous_valid_hours` (0 for a leaked one); while the one replaced last is still accepted,
    /// refused next to `force` unless it is checked.
    @Sendable func rotateOrganizationCallbackToken(_ request: Request, context: PesaRequestContext) async throws
        -> Response
    {
        try await organizationForm(request, context: context, kind: "callback-token") { fields, form in
            guard let hours = Int64(form.typed("previous_valid_hours", from: fields)) else {
                throw APIError.invalidField(
                    "previous_valid_hours", "Enter a whole number of hours (0 for a leaked token).")
            }
            let force = form.typed("force", from: fields) == "1"
            return { id, actor in
                _ = try await gateway.rotateCallbackToken(in: id, previousValidHours: hours, force: force, by: actor)
            }
        }
    }

    /// One of the organization's forms of `PATCH /v1/orgs/{id}`: `changes` made of its fields and
    /// `Gateway.updateOrganization` run with them.
    func changeOrganization(
        _ request: Request, context: PesaRequestContext, kind: String,
        changes: ([String: String], inout OrganizationChangeForm) throws -> OrganizationChanges
    ) async throws -> Response {
        try await organizationForm(request, context: context, kind: kind) { fields, form in
            let made = try changes(fields, &form)
            return { id, actor in _ = try await gateway.updateOrganization(id, made, by: actor) }
        }
    }

    /// One of the organization's forms: its fields read (CSRF checked), `prepare` reading them into what the
    /// use case is given, and that run once per form; an error shows the page again with the message next to
    /// its field and what was typed kept.
    func organizationForm(
        _ request: Request, context: PesaRequestContext, kind: String,
        prepare: ([String: String], inout OrganizationChangeForm) throws
            -> (OrganizationID, Actor) async throws -> Void
    ) async throws -> Response {
        let scope = try await operatorScope(request, context: context, action: .updateOrganizationBilling)
        let id = try operatorOrganizationID(context)
        let fields = try await operatorForm(request, context: context, scope: scope)
        var form = OrganizationChangeForm(kind: kind)
        do {
            let act = try prepare(fields, &form)
            let hash = Self.valuesHash(
                [kind] + OrganizationChangeForm.fieldNames.map { fields[$0] ?? "" } + [fields["clear"] ?? ""])
            _ = try await onceIn(
                .organization(id), route: "POST /ui/admin/orgs/{id}/\(kind)", key: Self.formKey(fields), hash: hash,
                scope: scope
            ) {
                try await act(id, scope.actor)
                return (id.rawValue, "")
            }
            return DashboardPages.redirect(to: "/ui/admin/orgs/\(id.rawValue)?done=\(kind)")
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            form.fail(apiError)
            return try await organizationPage(scope, id: id, form: form, status: apiError.status)
        }
    }

    func operatorOrganizationID(_ context: PesaRequestContext) throws -> OrganizationID {
        guard let text = context.parameters.get("id"), let id = try? OrganizationID(parsing: text) else {
            throw APIError.notFound()
        }
        return id
    }
}

/// One of an organization's forms as typed (`kind`: name, status, plan, subscription, rate-limit or
/// callback-token), and what refused it.
struct OrganizationChangeForm {
    static let fieldNames = [
        "name", "status", "plan", "subscription_status", "reason", "per_minute", "burst", "previous_valid_hours",
        "force",
    ]

    let kind: String
    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    var error: String?

    /// The field as typed (trimmed), kept for the page shown again.
    mutating func typed(_ name: String, from fields: [String: String]) -> String {
        let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        values[name] = value
        return value
    }

    /// The message next to the field it names (the API's `rate_limit` is the per-minute field, its burst the
    /// burst field), else above the form.
    mutating func fail(_ apiError: APIError) {
        let fields = [
            "name": "name", "status": "status", "plan": "plan", "subscription_status": "subscription_status",
            "reason": "reason",
            "per_minute": "per_minute", "rate_limit": "per_minute", "rate_limit.per_minute": "per_minute",
            "burst": "burst", "rate_limit.burst": "burst", "previous_valid_hours": "previous_valid_hours",
            "force": "force",
        ]
        if let param = apiError.param, let field = fields[param] {
            errors[field] = apiError.message
        } else {
            error = apiError.message
        }
    }

    func context(plans: [String]) -> [String: Any] {
        var values: [String: Any] = [
            "plans": plans.map { ["value": $0, "selected": $0 == self.values["plan"]] as [String: Any] },
            "statuses": SubscriptionStatus.allCases.map {
                ["value": $0.rawValue, "selected": $0.rawValue == self.values["subscription_status"]] as [String: Any]
            },
            "reason_value": self.values["reason"] ?? "", "per_minute_value": self.values["per_minute"] ?? "",
            "burst_value": self.values["burst"] ?? "", "name_value": self.values["name"] ?? "",
            "previous_valid_hours_value": self.values["previous_valid_hours"] ?? "",
            "force_checked": self.values["force"] == "1",
            "org_statuses": OrganizationStatus.allCases.map {
                ["value": $0.rawValue, "selected": $0.rawValue == self.values["status"]] as [String: Any]
            },
        ]
        for name in Self.fieldNames { values[name + "_error"] = DashboardPages.section(errors[name]) }
        for form in ["name", "status", "plan", "subscription", "rate_limit", "callback_token"] {
            let key = form.replacingOccurrences(of: "_", with: "-")
            values[form + "_form_error"] = DashboardPages.section(kind == key ? error : nil)
            values[form + "_key"] = DashboardSessions.randomToken()
        }
        return values
    }
}
