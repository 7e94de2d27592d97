import Hummingbird
import HTTPTypes
import Logging
import PesaCore

/// `POST /v1/auth/login {email, password}` → `{access_token, token_type: "Bearer", expires_in}`, and
/// `POST /v1/auth/logout` (204: the caller's JWT is refused from then on).
/// Throttled per email and per client address before the password is even checked; an unknown email costs
/// the same bcrypt time as a wrong password and gets the same 401. Attempts on a known account are audited
/// in its organization's log (`auth.login`, `auth.login_failed`); attempts on an unknown email belong to no
/// organization and are only logged (with the email, never the password), as are throttled ones (429).
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
        let email = body.email.trimmingSpaces().lowercased()
        guard !email.isEmpty, email.count <= Limits.emailCharactersMax else {
            throw APIError.invalidField("email", "email must be 1 to \(Limits.emailCharactersMax) characters")
        }
        let address = clientAddress(request, context: context)
        do {
            try throttle.check(email: email, address: address)
        } catch {
            context.logger.notice("login throttled", metadata: ["email": .string(email)])
            throw error
        }
        let account = try await directory.account(forEmail: email)
        guard try await passwordHasher.verify(body.password, against: account?.passwordHash), let account else {
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
        throttle.recordSuccess(email: email)
        try await directory.recordLogin(succeeded: true, account: account, requestID: context.requestID)
        let issued = try await accessTokens.issue(user: account.user, principal: account.principal)
        context.logger.info("login", metadata: ["subject": .string(account.user.rawValue)])
        return LoginResponse(accessToken: issued.token, tokenType: "Bearer", expiresIn: issued.expiresInSeconds)
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

    static let logoutSpec = RouteSpec(
        .post, "/v1/auth/logout", summary: "Log out: the JWT this request carries is refused from now on",
        action: .logout, tag: "auth", successStatus: .noContent, responseBody: nil)
}
