import Hummingbird
import HTTPTypes
import Logging
import PesaCore

/// `POST /v1/auth/login {email, password}` → `{access_token, token_type: "Bearer", expires_in}`, and
/// `POST /v1/auth/logout` (204: the caller's JWT is refused from then on).
/// Throttled per email and client address, and per client address, before the password is even checked
/// (failures from all addresses together only slow an email's logins down, so nobody can lock its owner out);
/// an unknown email costs the same bcrypt time as a wrong password and gets the same 401. Attempts on a known
/// account are audited in its organization's log (`auth.login`, `auth.login_failed`); attempts on an unknown
/// email belong to no organization and are only logged (with the email, never the password), as are throttled
/// ones (429). Password checks wait in their organization's queue (`PasswordHasher.queueKey`), so another
/// organization's login flood delays them by a few bcrypt costs at most. A user's successful logins are limited
/// too (`LoginThrottle.admitSuccess`): past the limit the right password gets 429 and no token.
public struct LoginController: Sendable {
    let accessTokens: AccessTokens
    let passwordHasher: PasswordHasher
    let throttle: LoginThrottle
    let directory: any LoginDirectory
    let trustsForwardedFor: Bool

    /// `trustsForwardedFor`: behind a reverse proxy, throttle by the first `X-Forwarded-For` address instead
    /// of the proxy's own (only when the proxy sets that header itself; a client could forge it otherwise).
    public init(
        accessTokens: AccessTokens, passwordHasher: PasswordHasher, throttle: LoginThrottle,
        directory: any LoginDirectory, trustsForwardedFor: Bool = false
    ) {
        self.accessTokens = accessTokens
        self.passwordHasher = passwordHasher
        self.throttle = throttle
        self.directory = directory
        self.trustsForwardedFor = trustsForwardedFor
    }

    public func addRoutes(to routes: APIRoutes) {
        routes.add(Self.loginSpec, use: login)
        routes.add(Self.logoutSpec, use: logout)
        routes.add(Self.passwordSpec, use: changePassword)
    }

    struct LoginRequest: Decodable {
        let email: String
        let password: String
    }

    struct LoginResponse: ResponseEncodable {
        let accessToken: String
        let tokenType: String
        let expiresIn: Int64

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
        }
    }

    @Sendable func login(_ request: Request, context: PesaRequestContext) async throws -> LoginResponse {
        let body = try await request.decodeJSON(as: LoginRequest.self, context: context)
        let issued = try await logIn(email: body.email, password: body.password, request: request, context: context)
            .issued
        return LoginResponse(accessToken: issued.token, tokenType: "Bearer", expiresIn: issued.expiresInSeconds)
    }

    /// The login itself, shared by `POST /v1/auth/login` and the dashboard's login form: the email's shape, the
    /// throttle, the password check, the audit, and a new token. Throws what the API answers (422 on `email`,
    /// 429, 401).
    func logIn(email rawEmail: String, password: String, request: Request, context: PesaRequestContext)
        async throws -> (account: LoginAccount, issued: IssuedAccessToken)
    {
        let email = rawEmail.trimmingSpaces().lowercased()
        guard !email.isEmpty, email.count <= Limits.emailCharactersMax else {
            throw APIError.invalidField("email", "email must be 1 to \(Limits.emailCharactersMax) characters")
        }
        let address = clientAddress(request, context: context)
        let delayMs: Int64
        do {
            delayMs = try throttle.check(email: email, address: address)
        } catch {
            context.logger.notice("login throttled", metadata: ["email": .string(email)])
            throw error
        }
        if delayMs > 0 { try await Task.sleep(for: .milliseconds(delayMs)) }
        let account = try await directory.account(forEmail: email)
        let queueKey = PasswordHasher.queueKey(for: account, address: address)
        guard try await passwordHasher.verify(password, against: account?.passwordHash, queueKey: queueKey),
            let account
        else {
            throttle.recordFailure(email: email, address: address)
            if let account {
                context.logger.notice("login refused", metadata: ["subject": .string(account.user.rawValue)])
                try await directory.recordLogin(succeeded: false, account: account, requestID: context.requestID)
            } else {
                context.logger.notice(
                    "login refused: no active account has this email", metadata: ["email": .string(email)])
            }
            throw APIError.unauthenticated()
        }
        throttle.recordSuccess(email: email, address: address)
        do {
            try throttle.admitSuccess(user: account.user.rawValue)
        } catch {
            context.logger.notice(
                "login refused: too many logins of this user", metadata: ["subject": .string(account.user.rawValue)])
            throw error
        }
        try await directory.recordLogin(succeeded: true, account: account, requestID: context.requestID)
        let issued = try await accessTokens.issue(user: account.user, principal: account.principal)
        context.logger.info("login", metadata: ["subject": .string(account.user.rawValue)])
        return (account, issued)
    }

    /// Ends the caller's login session: its JWT (by `jti`) is refused from the next request on. 204.
    @Sendable func logout(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard identity.kind == .jwt else {
            throw APIError.forbidden("only a login session can log out; revoke an API key instead")
        }
        try await directory.logOut(identity, requestID: context.requestID)
        context.logger.info("logout", metadata: ["subject": .string(identity.subject.description)])
        return Response(status: .noContent)
    }

    struct PasswordChange: Decodable {
        let currentPassword: String
        let newPassword: String

        enum CodingKeys: String, CodingKey {
            case currentPassword = "current_password"
            case newPassword = "new_password"
        }
    }

    /// A logged-in user changes their own password: the current one is checked (throttled like a login, per
    /// user and address), the new one must follow the password rule and differ, every session issued before
    /// the change ends (this one too), and the answer is a new token, as a login's.
    @Sendable func changePassword(_ request: Request, context: PesaRequestContext) async throws -> LoginResponse {
        let identity = try context.requireIdentity()
        try Self.requireLoginSession(identity)
        let body = try await request.decodeJSON(as: PasswordChange.self, context: context)
        let issued = try await changePassword(
            of: identity, current: body.currentPassword, new: body.newPassword, request: request, context: context)
        return LoginResponse(accessToken: issued.token, tokenType: "Bearer", expiresIn: issued.expiresInSeconds)
    }

    /// The change itself, shared by `POST /v1/auth/password` and the dashboard's account page. Throws what the
    /// API answers (403 for an API key, 422 on `new_password` or `current_password`, 429).
    func changePassword(
        of identity: Identity, current: String, new: String, request: Request, context: PesaRequestContext
    ) async throws -> IssuedAccessToken {
        try Self.requireLoginSession(identity)
        guard (Limits.passwordBytesMin...Limits.passwordBytesMax).contains(new.utf8.count) else {
            throw APIError.invalidField(
                "new_password", "new_password must be \(Limits.passwordBytesMin) to \(Limits.passwordBytesMax) bytes")
        }
        guard new != current else {
            throw APIError.invalidField("new_password", "new_password must differ from current_password")
        }
        let throttleKey = "user:" + identity.subject.description
        let address = clientAddress(request, context: context)
        let delayMs = try throttle.check(email: throttleKey, address: address)
        if delayMs > 0 { try await Task.sleep(for: .milliseconds(delayMs)) }
        guard let account = try await directory.account(of: identity) else { throw APIError.unauthenticated() }
        let queueKey = PasswordHasher.queueKey(for: account, address: address)
        guard try await passwordHasher.verify(current, against: account.passwordHash, queueKey: queueKey) else {
            throttle.recordFailure(email: throttleKey, address: address)
            context.logger.notice("password change refused", metadata: ["subject": .string(account.user.rawValue)])
            throw APIError.invalidField("current_password", "current_password is not the password of this account")
        }
        throttle.recordSuccess(email: throttleKey, address: address)
        let hash = try await passwordHasher.hash(new, queueKey: queueKey)
        let changedAtMs = try await directory.changePassword(of: account, to: hash, requestID: context.requestID)
        let issued = try await accessTokens.issue(
            user: account.user, principal: account.principal, notBeforeMs: changedAtMs)
        context.logger.info("password changed", metadata: ["subject": .string(account.user.rawValue)])
        return issued
    }

    /// An API key has no password: 403, before its body is read.
    static func requireLoginSession(_ identity: Identity) throws(APIError) {
        guard identity.kind == .jwt else { throw APIError.forbidden("only a login session can change its password") }
    }

    func clientAddress(_ request: Request, context: PesaRequestContext) -> String? {
        guard trustsForwardedFor, let forwarded = request.headers[.forwardedFor],
            let first = forwarded.split(separator: ",").first
        else { return context.remoteAddress }
        let address = String(first).trimmingSpaces()
        return address.isEmpty || address.utf8.count > 64 ? context.remoteAddress : address
    }

    static let loginSpec = RouteSpec(
        .post, "/v1/auth/login", summary: "Log in with email and password; returns a JWT", action: .login,
        tag: "auth",
        requestBody: JSONSchema.object(
            ["email": JSONSchema.string, "password": JSONSchema.string], required: ["email", "password"]),
        responseBody: JSONSchema.object(
            [
                "access_token": JSONSchema.string, "token_type": JSONSchema.enumeration(["Bearer"]),
                "expires_in": JSONSchema.integer,
            ], required: ["access_token", "token_type", "expires_in"]),
        errors: [.unauthenticated, .rateLimited])

    static let passwordSpec = RouteSpec(
        .post, "/v1/auth/password",
        summary: "Change your own password: every session opened before ends; answers a new token",
        action: .changePassword, tag: "auth",
        requestBody: JSONSchema.object(
            ["current_password": JSONSchema.string, "new_password": JSONSchema.string],
            required: ["current_password", "new_password"]),
        responseBody: JSONSchema.object(
            [
                "access_token": JSONSchema.string, "token_type": JSONSchema.enumeration(["Bearer"]),
                "expires_in": JSONSchema.integer,
            ], required: ["access_token", "token_type", "expires_in"]),
        errors: [.unauthenticated, .forbidden, .invalidField, .rateLimited])

    static let logoutSpec = RouteSpec(
        .post, "/v1/auth/logout", summary: "Log out: the JWT this request carries is refused from now on",
        action: .logout, tag: "auth", successStatus: .noContent, responseBody: nil)
}
