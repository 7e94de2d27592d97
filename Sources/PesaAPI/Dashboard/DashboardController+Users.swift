import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addUserRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("settings/users", use: users)
        group.get("settings/users/new", use: newUser)
        group.post("settings/users/new", use: createUser)
        group.post("settings/users/:uid", use: updateUser)
        group.post("settings/users/:uid/delete", use: deleteUser)
        group.post("settings/users/:uid/password", use: setUserPassword)
    }

    /// `GET /ui/settings/users`: the organization's users as `GET /v1/orgs/{id}/users` lists them (org_admin),
    /// each with a form to change its role or disable it, and to delete it, when the caller's role may manage
    /// that user (an org_admin never a super_admin, never to super_admin).
    @Sendable func users(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .listUsers)
        let notices = [
            "created": "The user was created.", "saved": "The user was changed.", "deleted": "The user was deleted.",
            "password": "The password was set; the user's sessions opened before have ended.",
        ]
        return try await userList(scope, notice: request.uri.queryParameters.get("done").flatMap { notices[$0] })
    }

    /// `passwordError`: the user whose new password was refused, and why (said next to that user's field).
    func userList(
        _ scope: DashboardScope, notice: String? = nil, error: String? = nil,
        passwordError: (user: UserID, message: String)? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let users = try await gateway.users(in: scope.organization, by: scope.actor)
        let principal = scope.page.identity.principal
        let roles = Self.assignableRoles(principal, in: scope.organization)
        let rows: [[String: Any]] = users.map { user in
            [
                "id": user.id.rawValue, "email": user.email, "role": user.role.rawValue, "disabled": user.disabled,
                "created": DashboardFormat.kenyaTime(ms: user.createdAtMs),
                "manageable": principal.role.mayManage(userWith: user.role),
                "roles": roles.map { ["value": $0.rawValue, "selected": $0 == user.role] as [String: Any] },
                "password_key": DashboardSessions.randomToken(),
                "password_error": DashboardPages.section(
                    passwordError.flatMap { $0.user == user.id ? $0.message : nil }),
            ]
        }
        return try await settingsPage(
            scope, title: "Users", current: "/ui/settings", template: DashboardTemplates.userList,
            values: [
                "rows": rows, "notice": DashboardPages.section(notice), "error": DashboardPages.section(error),
                "can_create": principal.authorize(.createUser, in: scope.organization) == .allowed,
                "password_min": String(Limits.passwordBytesMin),
            ], status: status)
    }

    /// The roles the caller may give in the organization: never super_admin, never above their own.
    static func assignableRoles(_ principal: Principal, in organization: OrganizationID) -> [Role] {
        Role.allCases.filter { $0 != .superAdmin && principal.mayAssign($0, in: organization) }
    }

    /// `GET /ui/settings/users/new`: the form of `POST /v1/orgs/{id}/users`.
    @Sendable func newUser(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .createUser)
        return try await userForm(scope: scope, values: ["role": Role.user.rawValue], errors: [:])
    }

    /// `POST /ui/settings/users/new`: `Gateway.createUser` with the form's idempotency key (journaled with the
    /// user, as the API's), so a second submit of the form makes no second user.
    @Sendable func createUser(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .createUser)
        let fields = try await settingsForm(request, context: context, scope: scope)
        let values = [
            "email": fields["email"]?.trimmingCharacters(in: .whitespaces) ?? "", "role": fields["role"] ?? "",
        ]
        let password = fields["password"] ?? ""
        do {
            let hashed = UsersController(gateway: gateway, passwordHasher: login.passwordHasher)
            let idempotency = Self.formKey(fields).map {
                IdempotencyInput(
                    key: $0,
                    requestHash: gateway.keyedRequestHash(
                        Array(Self.valuesHash([values["email"] ?? "", values["role"] ?? "", password]).utf8)))
            }
            let role = try UsersController.role(values["role"] ?? "")
            _ = try await gateway.createUser(
                in: scope.organization, email: values["email"] ?? "", passwordHash: try await hashed.hash(password),
                role: role, idempotency: idempotency, by: scope.actor)
            return DashboardPages.redirect(to: scope.link("/ui/settings/users", done: "created"))
        } catch {
            guard let apiError = Self.formError(error) ?? Self.forbiddenRole(error) else { throw error }
            var errors: [String: String] = [:]
            let field = apiError.param.flatMap { ["email", "password", "role"].contains($0) ? $0 : nil } ?? "email"
            errors[field] = apiError.message
            return try await userForm(scope: scope, values: values, errors: errors, status: apiError.status)
        }
    }

    /// A role the caller may not give, said next to the role field rather than as a forbidden page.
    static func forbiddenRole(_ error: any Error) -> APIError? {
        let apiError = ErrorMapping.apiError(for: error)
        guard apiError.status == .forbidden, apiError.message.contains("role") else { return nil }
        return APIError(.forbidden, apiError.message, param: "role")
    }

    func userForm(
        scope: DashboardScope, values: [String: String], errors: [String: String], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let roles = Self.assignableRoles(scope.page.identity.principal, in: scope.organization)
        return try await settingsPage(
            scope, title: "Add a user", current: "/ui/settings", template: DashboardTemplates.userForm,
            values: [
                "email": values["email"] ?? "", "idempotency_key": DashboardSessions.randomToken(),
                "roles": roles.map {
                    ["value": $0.rawValue, "selected": $0.rawValue == values["role"]] as [String: Any]
                },
                "email_error": DashboardPages.section(errors["email"]),
                "password_error": DashboardPages.section(errors["password"]),
                "role_error": DashboardPages.section(errors["role"]),
                "password_min": String(Limits.passwordBytesMin),
            ], status: status)
    }

    /// `POST /ui/settings/users/{uid}`: `PATCH /v1/orgs/{id}/users/{uid}` with the role and the disabled flag.
    @Sendable func updateUser(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .updateUser)
        let id = try userID(context)
        let fields = try await settingsForm(request, context: context, scope: scope)
        do {
            var changes = UserChanges(disabled: fields["disabled"].map { $0 == "true" })
            if let role = fields["role"] { changes.role = try UsersController.role(role) }
            _ = try await gateway.updateUser(id, in: scope.organization, changes, by: scope.actor)
            return DashboardPages.redirect(to: scope.link("/ui/settings/users", done: "saved"))
        } catch {
            guard let apiError = Self.formError(error) ?? Self.forbiddenRole(error) else { throw error }
            return try await userList(scope, error: apiError.message, status: apiError.status)
        }
    }

    /// `POST /ui/settings/users/{uid}/password`: `PATCH /v1/orgs/{id}/users/{uid}` with `password` (the same
    /// length rule, hashed the same way), once per form: its idempotency key is journaled with the user, so the
    /// same form sent again changes nothing more. A refused password is said next to that user's field; it is
    /// never written back into the page.
    @Sendable func setUserPassword(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .updateUser)
        let id = try userID(context)
        let fields = try await settingsForm(request, context: context, scope: scope)
        let password = fields["password"] ?? ""
        let hash = gateway.keyedRequestHash(Array(Self.valuesHash([id.rawValue, password]).utf8))
        do {
            _ = try await once(
                route: "POST /ui/settings/users/{uid}/password", key: Self.formKey(fields), hash: hash, scope: scope
            ) {
                let hashed = try await UsersController(gateway: gateway, passwordHasher: login.passwordHasher)
                    .hash(password)
                return try await gateway.updateUser(
                    id, in: scope.organization, UserChanges(passwordHash: hashed), by: scope.actor
                ).id.rawValue
            }
            return DashboardPages.redirect(to: scope.link("/ui/settings/users", done: "password"))
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            return try await userList(
                scope, passwordError: (id, apiError.message), status: apiError.status)
        }
    }

    /// `POST /ui/settings/users/{uid}/delete`: `DELETE /v1/orgs/{id}/users/{uid}`.
    @Sendable func deleteUser(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .deleteUser)
        let id = try userID(context)
        _ = try await settingsForm(request, context: context, scope: scope)
        try await gateway.deleteUser(id, in: scope.organization, by: scope.actor)
        return DashboardPages.redirect(to: scope.link("/ui/settings/users", done: "deleted"))
    }

    func userID(_ context: PesaRequestContext) throws -> UserID {
        guard let text = context.parameters.get("uid"), let id = try? UserID(parsing: text) else {
            throw APIError.notFound()
        }
        return id
    }
}
