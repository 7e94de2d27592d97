import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PesaCore
import PesaEngine

/// The dashboard's pages under `/ui/`: login and logout, the overview, a payment, the stylesheet. Each page
/// calls the same `Gateway` use cases as the JSON routes, with the same roles and the same tenant isolation
/// (another organization's object is a 404). Sessions: see `DashboardSessions`. Every POST carries the
/// session's CSRF token (`csrf_token`); the login form, before any session, carries the token of a short-lived
/// cookie of its own (`pesa_login_csrf`), compared with the field (double submit).
struct DashboardController: Sendable {
    let gateway: Gateway
    let login: LoginController
    let sessions: DashboardSessions
    let directory: any LoginDirectory
    /// Whether the gateway's public URL is https: then cookies are `Secure` whatever the request came over.
    let publicURLIsHTTPS: Bool
    /// The API's version, as `GET /openapi.json` gives it (the health page shows it).
    let apiVersion: String

    static let sessionCookieName = "pesa_session"
    static let loginCookieName = "pesa_login_csrf"
    static let formBytesMax = 16 * 1024

    func addRoutes(to router: Router<PesaRequestContext>) {
        let group = router.group("ui").add(middleware: DashboardMiddleware())
        group.get("static/app.css", use: stylesheet)
        group.get("login", use: loginPage)
        group.post("login", use: submitLogin)
        group.post("logout", use: logout)
        group.get(use: overview)
        group.get("payments", use: payments)
        group.get("payments/new", use: newPayment)
        group.post("payments/new", use: createPayment)
        group.get("payments/:id", use: payment)
        addPaymentActionRoutes(to: group)
        addC2BRoutes(to: group)
        addBalanceCheckRoutes(to: group)
        addReportRoutes(to: group)
        addPayoutRoutes(to: group)
        addSettingsRoutes(to: group)
        addOperatorRoutes(to: group)
    }

    // MARK: Sessions

    /// The caller's dashboard session, its last request moved to now; without one, the page asks to log in.
    func signedIn(_ request: Request, context: PesaRequestContext) async throws -> DashboardPage {
        guard request.headers[.authorization] == nil, request.cookies[Self.sessionCookieName] != nil,
            let identity = context.identity, identity.kind == .jwt, let tokenID = identity.tokenID
        else { throw DashboardError.signIn(expired: false) }
        switch sessions.touch(tokenID: tokenID) {
        case .active(let session):
            return DashboardPage(identity: identity, session: session)
        case .expired:
            try? await directory.logOut(identity, requestID: context.requestID)
            throw DashboardError.signIn(expired: true)
        case .unknown:
            throw DashboardError.signIn(expired: false)
        }
    }

    func requireCSRF(_ form: [String: String], page: DashboardPage) throws {
        guard let token = form["csrf_token"], DashboardSessions.same(token, page.session.csrfToken) else {
            throw DashboardError.csrf
        }
    }

    /// Opens the dashboard session of a token just issued: a redirect to `location` setting its cookie.
    func startSession(_ issued: IssuedAccessToken, email: String, redirectingTo location: String, request: Request)
        -> Response
    {
        _ = sessions.open(tokenID: issued.tokenID, email: email)
        var response = DashboardPages.redirect(to: location)
        response.headers.append(
            HTTPField(
                name: .setCookie,
                value: cookie(
                    Self.sessionCookieName, value: issued.token, maxAgeSeconds: sessions.absoluteMs / 1000,
                    request: request)))
        return response
    }

    func cookie(_ name: String, value: String, maxAgeSeconds: Int64?, request: Request) -> String {
        var text = "\(name)=\(value); Path=/ui; HttpOnly; SameSite=Lax"
        if let maxAgeSeconds { text += "; Max-Age=\(maxAgeSeconds)" }
        if publicURLIsHTTPS || request.head.scheme == "https" { text += "; Secure" }
        return text
    }

    // MARK: Login and logout

    @Sendable func loginPage(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let next = DashboardPaths.localTarget(request.uri.queryParameters.get("next"))
        if (try? await signedIn(request, context: context)) != nil {
            return DashboardPages.redirect(to: next ?? "/ui/")
        }
        let expired = request.uri.queryParameters.get("expired") == "1"
        return loginForm(
            request,
            form: LoginFormView(next: next ?? "", notice: expired ? "Your session expired; log in again." : nil)
        )
    }

    @Sendable func submitLogin(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let form = try await DashboardForm.read(request, context: context, bytesMax: Self.formBytesMax)
        guard let presented = form["csrf_token"], let expected = request.cookies[Self.loginCookieName]?.value,
            DashboardSessions.same(presented, expected)
        else { throw DashboardError.csrf }
        let email = form["email"] ?? ""
        var view = LoginFormView(next: DashboardPaths.localTarget(form["next"]) ?? "", email: email)
        do {
            let (_, issued) = try await login.logIn(
                email: email, password: form["password"] ?? "", request: request, context: context)
            var response = startSession(
                issued, email: email.trimmingSpaces().lowercased(),
                redirectingTo: view.next.isEmpty ? "/ui/" : view.next, request: request)
            response.headers.append(
                HTTPField(
                    name: .setCookie,
                    value: cookie(Self.loginCookieName, value: "", maxAgeSeconds: 0, request: request)))
            return response
        } catch let error as APIError {
            switch error.code {
            case .unauthenticated:
                view.passwordError = "Wrong email or password."
            case .rateLimited:
                view.passwordError = "Too many attempts. Wait a few minutes and try again."
                view.status = .tooManyRequests
            case .invalidField:
                view.emailError = "Enter the email address of your account."
                view.status = .unprocessableContent
            default:
                throw error
            }
            return loginForm(request, form: view)
        }
    }

    /// The login form with a login CSRF token: the one of the browser's cookie when it holds a well-formed one
    /// (several tabs), else a new one (and its cookie).
    func loginForm(_ request: Request, form: LoginFormView) -> Response {
        var form = form
        let presented = request.cookies[Self.loginCookieName]?.value
        let token =
            presented.flatMap { DashboardSessions.isWellFormed($0) ? $0 : nil } ?? DashboardSessions.randomToken()
        form.csrfToken = token
        var response = DashboardPages.page(
            title: "Log in", layout: DashboardLayout(), template: DashboardTemplates.login, context: form.context,
            status: form.status)
        if presented != token {
            response.headers.append(
                HTTPField(
                    name: .setCookie,
                    value: cookie(Self.loginCookieName, value: token, maxAgeSeconds: 3600, request: request)))
        }
        return response
    }

    /// Ends the session: its token is revoked (refused by the API too) and forgotten, its cookie cleared.
    @Sendable func logout(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let page = try await signedIn(request, context: context)
        let form = try await DashboardForm.read(request, context: context, bytesMax: Self.formBytesMax)
        try requireCSRF(form, page: page)
        try await directory.logOut(page.identity, requestID: context.requestID)
        if let tokenID = page.identity.tokenID { sessions.close(tokenID: tokenID) }
        var response = DashboardPages.redirect(to: "/ui/login")
        response.headers.append(
            HTTPField(
                name: .setCookie, value: cookie(Self.sessionCookieName, value: "", maxAgeSeconds: 0, request: request)))
        return response
    }

    // MARK: Static

    @Sendable func stylesheet(_ request: Request, context: PesaRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/css; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: DashboardTemplates.stylesheet)))
    }
}

/// A signed-in request: who, and their dashboard session.
struct DashboardPage: Sendable {
    let identity: Identity
    let session: DashboardSessions.Session
}

/// What the dashboard's middleware turns into pages: a login to redo, or a form without its CSRF token.
enum DashboardError: Error {
    case signIn(expired: Bool)
    case csrf
}

/// The login form's values.
struct LoginFormView {
    var next: String
    var email = ""
    var notice: String?
    var emailError: String?
    var passwordError: String?
    var csrfToken = ""
    var status: HTTPResponse.Status = .ok

    var context: [String: Any] {
        [
            "next": next, "email": email, "notice": DashboardPages.section(notice),
            "email_error": DashboardPages.section(emailError), "password_error": DashboardPages.section(passwordError),
            "csrf_token": csrfToken,
        ]
    }
}
