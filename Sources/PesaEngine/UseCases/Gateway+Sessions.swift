public import PesaCore

/// What a login attempt came to, for the audit log.
public enum LoginOutcome: String, Sendable {
    case succeeded = "auth.login"
    case failed = "auth.login_failed"
}

extension Gateway {
    /// The engine that holds a user's account: its organization's, or `system/` for a super admin (nil).
    func accountEngine(_ organization: OrganizationID?) async throws(EngineError) -> TenantEngine {
        guard let organization else { return system }
        return try await engine(organization)
    }

    /// The role of a user that still exists and is enabled, when the token `tokenID` (a JWT's `jti`) was
    /// not given up at logout and was not issued (`issuedAtMs`) before the user's last change (password, role,
    /// disabled, email: `UserRecord.predatesChange`);
    /// nil otherwise (the token stops working). Reads the durable state without waiting behind writes, so a
    /// change is seen by the very next request after it was answered.
    public func activeRole(
        of id: UserID, in organization: OrganizationID?, tokenID: String? = nil, issuedAtMs: Int64? = nil
    ) async -> Role? {
        guard let access = try? await accountEngine(organization).accessView,
            let user = access.user(id: id), !user.disabled
        else { return nil }
        if let tokenID, access.isTokenRevoked(tokenID) { return nil }
        if let issuedAtMs, user.predatesChange(issuedAtMs: issuedAtMs) { return nil }
        return user.role
    }

    /// Logout: journals that the JWT `tokenID` of `user` is given up (it is refused from the next request
    /// on, also after a restart) and audits it as `auth.logout`. Kept until `expiresAtMs`.
    public func revokeToken(
        _ tokenID: String, of user: UserID, in organization: OrganizationID?, expiresAtMs: Int64, by actor: Actor
    ) async throws(EngineError) {
        guard (1...Limits.tokenIDCharactersMax).contains(tokenID.utf8.count) else {
            throw EngineError.invalid("token_id", "not a token id")
        }
        let engine = try await accountEngine(organization)
        try await engine.execute { (state, context) throws(EngineError) in
            guard state.user(id: user) != nil else { throw EngineError.notFound("user") }
            guard !state.isTokenRevoked(tokenID) else { return Decision(value: ()) }
            let live = state.revokedTokens.values.count { $0 > context.nowMs }
            guard live < Limits.revokedTokensCountMax else {
                throw EngineError(.conflict, "too many sessions were logged out recently; try again later")
            }
            let revoked = TenantEvent.tokenRevoked(.init(tokenID: tokenID, userID: user, expiresAtMs: expiresAtMs))
            return Decision(events: [revoked, actor.audit("auth.logout", target: user.rawValue)], value: ())
        }
    }

    /// A user of `organization` (nil: a super admin), as a password change needs it; nil when gone or disabled.
    public func activeUser(_ id: UserID, in organization: OrganizationID?) async -> UserRecord? {
        guard let access = try? await accountEngine(organization).accessView, let user = access.user(id: id),
            !user.disabled
        else { return nil }
        return user
    }

    /// A user changes their own password (`POST /v1/auth/password`, after the API checked the current one):
    /// journals the new hash and `auth.password_change`, and returns the change's time, before which every
    /// session of the user is now over.
    public func changeOwnPassword(
        of id: UserID, in organization: OrganizationID?, passwordHash: String, requestID: String
    ) async throws(EngineError) -> Int64 {
        try await accountEngine(organization).execute { (state, _) throws(EngineError) in
            guard let user = state.user(id: id), !user.disabled else { throw EngineError.notFound("user") }
            let update = TenantEvent.userUpdated(
                .init(userID: id, role: nil, passwordHash: passwordHash, disabled: nil))
            let audit = TenantEvent.auditRecorded(
                .init(actor: id.rawValue, action: "auth.password_change", target: id.rawValue, requestID: requestID))
            return Decision(events: [update, audit], value: ())
        } thenRead: { (state, _) throws(EngineError) in
            guard let user = state.user(id: id) else { throw EngineError.notFound("user") }
            return user.updatedAtMs
        }
    }

    /// Audits a login attempt of a known account in its organization's log (a super admin's in `system/`):
    /// `auth.login` by the user, or `auth.login_failed` by `anonymous` with the user as target. The password
    /// is never recorded. Failed attempts are bounded by the login throttle, so they cannot flood the journal.
    public func recordLogin(
        _ outcome: LoginOutcome, of user: UserID, in organization: OrganizationID?, requestID: String
    ) async throws(EngineError) {
        let actor = outcome == .succeeded ? user.rawValue : "anonymous"
        let audit = TenantEvent.auditRecorded(
            .init(actor: actor, action: outcome.rawValue, target: user.rawValue, requestID: requestID))
        try await accountEngine(organization).execute { _, _ in Decision(events: [audit], value: ()) }
    }
}
