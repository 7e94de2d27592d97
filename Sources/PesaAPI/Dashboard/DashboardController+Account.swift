import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addAccountRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("account", use: account)
        group.post("account", use: changePassword)
    }

    /// `GET /ui/account`: the signed-in user's own account (every role, a super admin too) and the form of
    /// `POST /v1/auth/password`.
    @Sendable func account(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let page = try await signedIn(request, context: context)
        try context.require(.changePassword)
        let notice =
            request.uri.queryParameters.get("done") == "password"
            ? "Your password was changed. Your other sessions and API login tokens have ended; this one goes on."
            : nil
        return try await accountPage(page, form: PasswordChangeForm(), notice: notice)
    }

    /// `POST /ui/account`: `LoginController.changePassword`, the use case of `POST /v1/auth/password` (its
    /// password rule and throttle). It ends every session of the user issued before the change, this one too,
    /// and issues a new token: the browser's session moves to that token, so its user stays signed in. The new
    /// password typed twice differently is refused before anything is checked.
    @Sendable func changePassword(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let page = try await signedIn(request, context: context)
        try context.require(.changePassword)
        let fields = try await DashboardForm.read(request, context: context, bytesMax: Self.formBytesMax)
        try requireCSRF(fields, page: page)
        let new = fields["new_password"] ?? ""
        var form = PasswordChangeForm()
        let issued: IssuedAccessToken
        do {
            guard new == fields["confirm_password"] else {
                throw APIError.invalidField("confirm_password", "The two new passwords differ.")
            }
            issued = try await login.changePassword(
                of: page.identity, current: fields["current_password"] ?? "", new: new, request: request,
                context: context)
        } catch let error as APIError where [.invalidField, .rateLimited].contains(error.code) {
            switch error.param {
            case "new_password": form.newError = error.message
            case "confirm_password": form.confirmError = error.message
            default:
                form.currentError =
                    error.code == .rateLimited ? "Too many attempts. Wait a few minutes and try again." : error.message
            }
            return try await accountPage(page, form: form, status: error.status)
        }
        if let tokenID = page.identity.tokenID { sessions.close(tokenID: tokenID) }
        return startSession(
            issued, email: page.session.email, redirectingTo: "/ui/account?done=password", request: request)
    }

    func accountPage(
        _ page: DashboardPage, form: PasswordChangeForm, notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var organizationName: String?
        if let organization = page.identity.principal.organizationID {
            organizationName = try await gateway.engine(organization).accessView.organization?.name
        }
        return DashboardPages.page(
            title: "Your account",
            layout: DashboardLayout(organizationName: organizationName, page: page, currentPath: "/ui/account"),
            template: DashboardTemplates.account,
            context: [
                "email": page.session.email, "role": page.identity.role.rawValue,
                "csrf_token": page.session.csrfToken, "notice": DashboardPages.section(notice),
                "current_error": DashboardPages.section(form.currentError),
                "new_error": DashboardPages.section(form.newError),
                "confirm_error": DashboardPages.section(form.confirmError),
                "password_min": String(Limits.passwordBytesMin), "password_max": String(Limits.passwordBytesMax),
            ], status: status)
    }
}

/// The password change form's errors (passwords are never written back into a page).
struct PasswordChangeForm {
    var currentError: String?
    var newError: String?
    var confirmError: String?
}
