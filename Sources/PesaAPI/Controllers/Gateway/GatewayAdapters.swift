import PesaCore
public import PesaEngine

/// The engine behind the API's auth protocols: logins, API keys and token revocation.
public struct GatewayAuthDirectory: LoginDirectory, APIKeyResolver, TokenRevocationChecker {
    let gateway: Gateway

    public init(gateway: Gateway) {
        self.gateway = gateway
    }

    public func account(forEmail email: String) async throws -> LoginAccount? {
        guard let candidate = try await gateway.loginCandidate(email: email), !candidate.user.disabled else {
            return nil
        }
        let principal = try Principal(role: candidate.user.role, organizationID: candidate.organizationID)
        return LoginAccount(user: candidate.user.id, principal: principal, passwordHash: candidate.user.passwordHash)
    }

    public func recordLogin(succeeded: Bool, account: LoginAccount, requestID: String) async throws {
        try await gateway.recordLogin(
            succeeded ? .succeeded : .failed, of: account.user, in: account.principal.organizationID,
            requestID: requestID)
    }

    public func logOut(_ identity: Identity, requestID: String) async throws {
        guard case .user(let user) = identity.subject, let tokenID = identity.tokenID,
            let expiresAtSeconds = identity.tokenExpiresAtSeconds
        else { throw APIError.forbidden("only a login session can log out; revoke an API key instead") }
        try await gateway.revokeToken(
            tokenID, of: user, in: identity.organizationID, expiresAtMs: expiresAtSeconds * 1000,
            by: identity.actor(requestID: requestID))
    }

    public func account(of identity: Identity) async throws -> LoginAccount? {
        guard case .user(let id) = identity.subject,
            let user = await gateway.activeUser(id, in: identity.organizationID)
        else { return nil }
        return LoginAccount(user: id, principal: identity.principal, passwordHash: user.passwordHash)
    }

    public func changePassword(of account: LoginAccount, to passwordHash: String, requestID: String) async throws
        -> Int64
    {
        try await gateway.changeOwnPassword(
            of: account.user, in: account.principal.organizationID, passwordHash: passwordHash, requestID: requestID)
    }

    public func identity(forKeyHash keyHash: String) async throws -> Identity? {
        guard let (organization, key) = await gateway.apiKey(hash: keyHash) else { return nil }
        return Identity(
            apiKey: key.id, principal: try Principal(role: key.role, organizationID: organization),
            environment: key.environment, rateLimit: key.rateLimit)
    }

    /// A token dies at logout, with its user (deleted), and with any change to its user after it was issued
    /// (password, role, disabled, email), to the millisecond.
    public func isRevoked(_ token: VerifiedAccessToken) async throws -> Bool {
        guard let role = await gateway.activeRole(
            of: token.user, in: token.identity.organizationID, tokenID: token.tokenID,
            issuedAtMs: token.issuedAtMs)
        else { return true }
        return role != token.identity.role
    }
}
