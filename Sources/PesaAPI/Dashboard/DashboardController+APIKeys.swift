import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addAPIKeyRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("settings/api-keys", use: apiKeys)
        group.get("settings/api-keys/new", use: newAPIKey)
        group.post("settings/api-keys/new", use: createAPIKey)
        group.post("settings/api-keys/:id/revoke", use: revokeAPIKey)
    }

    /// `GET /ui/settings/api-keys`: the organization's keys as `GET /v1/api-keys` lists them (org_admin): the
    /// hint of each, never the key.
    @Sendable func apiKeys(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .listAPIKeys)
        let notice = request.uri.queryParameters.get("done") == "revoked" ? "The key was revoked." : nil
        return try await apiKeyList(scope, notice: notice)
    }

    func apiKeyList(
        _ scope: DashboardScope, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let keys = try await gateway.apiKeys(in: scope.organization, by: scope.actor)
        let rows: [[String: Any]] = keys.reversed().map { key in
            [
                "id": key.id.rawValue, "name": key.name, "role": key.role.rawValue, "environment": key.environment,
                "hint": key.keyHint, "created": DashboardFormat.kenyaTime(ms: key.createdAtMs),
                "revoked": DashboardPages.section(key.revokedAtMs.map { DashboardFormat.kenyaTime(ms: $0) }),
                "rate_limit": key.rateLimit.map(Self.rateLimitText) ?? "the organization's",
            ]
        }
        return try await settingsPage(
            scope, title: "API keys", current: "/ui/settings", template: DashboardTemplates.apiKeyList,
            values: [
                "rows": rows, "empty": rows.isEmpty, "notice": DashboardPages.section(notice),
                "error": DashboardPages.section(error),
            ], status: status)
    }

    /// `GET /ui/settings/api-keys/new`: the form of `POST /v1/api-keys`; the environment preset to the one of
    /// the default collecting short code, as the API's.
    @Sendable func newAPIKey(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .createAPIKey)
        let current = try await gateway.engine(scope.organization).read { state in
            state.defaultShortCode(for: .stkPush)?.environment
        }
        let values = ["role": Role.user.rawValue, "environment": current ?? APIKey.Environment.sandbox.rawValue]
        return try await apiKeyForm(scope: scope, values: values, errors: [:])
    }

    /// `POST /ui/settings/api-keys/new`: `Gateway.createAPIKey` with the form's idempotency key (journaled with
    /// the key made). The answer is the one page that shows the key, with a warning; it is kept nowhere, so a
    /// second submit of the form makes no second key and shows none.
    @Sendable func createAPIKey(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .createAPIKey)
        let fields = try await settingsForm(request, context: context, scope: scope)
        let values = Self.typedValues(Self.apiKeyFields, in: fields)
        let idempotency = Self.formKey(fields).map {
            IdempotencyInput(key: $0, requestHash: Self.valuesHash(Self.apiKeyFields.map { values[$0] ?? "" }))
        }
        do {
            let rateLimit = try Self.rateLimit(
                perMinute: values["rate_limit.per_minute"] ?? "", burst: values["rate_limit.burst"] ?? "")
            let role = try UsersController.role(values["role"] ?? "")
            guard let environment = APIKey.Environment(rawValue: values["environment"] ?? "") else {
                throw APIError.invalidField("environment", "environment must be \"sandbox\" or \"production\"")
            }
            let key = APIKey.generate(environment: environment)
            let record = try await gateway.createAPIKey(
                in: scope.organization, name: values["name"] ?? "", role: role, environment: environment.rawValue,
                keyHash: key.hash, keyHint: key.hint, rateLimit: rateLimit, idempotency: idempotency,
                by: scope.actor)
            return try await settingsPage(
                scope, title: "API key created", current: "/ui/settings", template: DashboardTemplates.secretShown,
                values: [
                    "heading": "API key created", "what": "API key", "secret": key.secret,
                    "about": [record.name, record.role.rawValue, record.environment, record.id.rawValue]
                        .joined(separator: " · "),
                    "back": "/ui/settings/api-keys", "back_label": "Back to the API keys",
                ], status: .created)
        } catch let error as EngineError where error.param == "Idempotency-Key" {
            return try await apiKeyList(
                scope, error: "This form was already sent. " + error.message, status: .conflict)
        } catch {
            guard let apiError = Self.formError(error) ?? Self.forbiddenRole(error) else { throw error }
            let field = apiError.param.flatMap { Self.apiKeyFields.contains($0) ? $0 : nil } ?? "name"
            return try await apiKeyForm(
                scope: scope, values: values, errors: [field: apiError.message], status: apiError.status)
        }
    }

    func apiKeyForm(
        scope: DashboardScope, values: [String: String], errors: [String: String], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let roles = Self.assignableRoles(scope.page.identity.principal, in: scope.organization)
        let choices = { (name: String, options: [String]) in
            options.map { ["value": $0, "selected": $0 == values[name]] as [String: Any] }
        }
        return try await settingsPage(
            scope, title: "Create an API key", current: "/ui/settings", template: DashboardTemplates.apiKeyForm,
            values: [
                "name": values["name"] ?? "", "idempotency_key": DashboardSessions.randomToken(),
                "roles": choices("role", roles.map(\.rawValue)),
                "environments": choices("environment", APIKey.Environment.allCases.map(\.rawValue)),
                "name_error": DashboardPages.section(errors["name"]),
                "role_error": DashboardPages.section(errors["role"]),
                "environment_error": DashboardPages.section(errors["environment"]),
                "per_minute": values["rate_limit.per_minute"] ?? "", "burst": values["rate_limit.burst"] ?? "",
                "per_minute_error": DashboardPages.section(errors["rate_limit.per_minute"]),
                "burst_error": DashboardPages.section(errors["rate_limit.burst"]),
                "per_minute_max": String(Limits.rateLimitPerMinuteMax),
            ], status: status)
    }

    /// The create form's fields, named as `POST /v1/api-keys` names them (`rate_limit` as its two members).
    static let apiKeyFields = ["name", "role", "environment", "rate_limit.per_minute", "rate_limit.burst"]

    /// The key's own limit as typed: none when both are blank; otherwise the API's `rate_limit` object, each
    /// member a whole number (the bounds are the use case's).
    static func rateLimit(perMinute: String, burst: String) throws -> RateLimit? {
        guard !perMinute.isEmpty || !burst.isEmpty else { return nil }
        guard !perMinute.isEmpty else {
            throw APIError.invalidField("rate_limit.per_minute", "rate_limit.per_minute is required")
        }
        guard let rate = Int64(perMinute) else {
            throw APIError.invalidField("rate_limit.per_minute", "rate_limit.per_minute must be a whole number")
        }
        guard burst.isEmpty || Int64(burst) != nil else {
            throw APIError.invalidField("rate_limit.burst", "rate_limit.burst must be a whole number")
        }
        return RateLimit(perMinute: rate, burst: Int64(burst))
    }

    /// `POST /ui/settings/api-keys/{id}/revoke`: `DELETE /v1/api-keys/{id}`; the key is refused from then on.
    @Sendable func revokeAPIKey(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .revokeAPIKey)
        guard let text = context.parameters.get("id"), let id = try? APIKeyID(parsing: text) else {
            throw APIError.notFound()
        }
        _ = try await settingsForm(request, context: context, scope: scope)
        try await gateway.revokeAPIKey(id, in: scope.organization, by: scope.actor)
        return DashboardPages.redirect(to: scope.link("/ui/settings/api-keys", done: "revoked"))
    }
}
