public import PesaCore
import PesaStore

/// Changes to a user (absent = unchanged).
public struct UserChanges: Sendable {
    public var role: Role?
    public var passwordHash: String?
    public var disabled: Bool?

    public init(role: Role? = nil, passwordHash: String? = nil, disabled: Bool? = nil) {
        self.role = role
        self.passwordHash = passwordHash
        self.disabled = disabled
    }
}

/// Who may log in with an email: the user, the organization (nil for a super admin) and the password hash.
public struct LoginCandidate: Sendable {
    public let user: UserRecord
    public let organizationID: OrganizationID?
}

extension Gateway {
    /// Creates a user of an organization. Emails are unique across the whole instance.
    public func createUser(
        in organization: OrganizationID, email: String, passwordHash: String, role: Role, by actor: Actor
    ) async throws(EngineError) -> UserRecord {
        try await createUser(
            in: organization, email: email, passwordHash: passwordHash, role: role, idempotency: nil, by: actor
        ).user
    }

    /// The route of `createUser(...idempotency:...)`'s keys (`idempotencyScope`).
    public static let createUserRoute = "POST /v1/orgs/{id}/users"

    /// Creates a user of an organization; with `idempotency`, the key is journaled in `user.created` itself
    /// (scope `createUserRoute` and the caller), so no crash, not even one that tears the journal's tail between
    /// two lines, keeps the user without the key (a retry would meet "email is taken"); and two requests with one
    /// key at the same moment make one user. `replayed`: the key
    /// had made this user before (the caller answers with the user as it is now).
    public func createUser(
        in organization: OrganizationID, email: String, passwordHash: String, role: Role,
        idempotency: IdempotencyInput?, by actor: Actor
    ) async throws(EngineError) -> (user: UserRecord, replayed: Bool) {
        try actor.authorize(.createUser, in: organization)
        guard actor.principal.mayAssign(role, in: organization), role != .superAdmin else {
            throw EngineError(.forbidden, "your role may not create a user with role \(role)")
        }
        let email = try Self.validEmail(email)
        let scope = Self.idempotencyScope(Self.createUserRoute, actor: actor)
        let replay = { () async throws(EngineError) -> (user: UserRecord, replayed: Bool)? in
            guard let idempotency else { return nil }
            let first = try await self.storedAnswer(
                scope: scope, idempotency: idempotency, in: .organization(organization))
            guard let made = first?.resourceID.flatMap({ try? UserID(parsing: $0) }) else { return nil }
            return (try await self.replayedUser(made, in: organization, by: actor), true)
        }
        if let first = try await replay() { return first }
        do {
            try await requireEmailFree(email)
        } catch {
            // The same key's first request may have made the user since the look above.
            if let first = try await replay() { return first }
            throw error
        }
        let id = UserID(randomBytes: CommandContext.randomBytes(16))
        let masterKeyID = masterKey.id
        let made = try await engine(organization).execute { (state, context) throws(EngineError) in
            guard state.organization != nil else { throw EngineError.notFound("organization") }
            if let idempotency,
                let first = try Self.firstAnswer(
                    idempotency, scope: scope, in: state, nowMs: context.nowMs, masterKeyID: masterKeyID),
                let made = first.resourceID.flatMap({ try? UserID(parsing: $0) })
            {
                return Decision(value: (id: made, replayed: true))
            }
            try Self.requireEnabled(state, toCreate: "users")
            guard state.user(email: email) == nil else {
                throw EngineError(.conflict, "email is taken", param: "email")
            }
            let created = TenantEvent.userCreated(.init(
                userID: id, email: email, role: role, passwordHash: passwordHash,
                idempotency: idempotency?.stamp(scope: scope)))
            return Decision(
                events: [created, actor.audit("user.create", target: id.rawValue)], value: (id: id, replayed: false))
        }
        if !made.replayed { directory.add(email: email, tenant: organization.rawValue) }
        return (try await self.replayedUser(made.id, in: organization, by: actor), made.replayed)
    }

    /// The user an `Idempotency-Key` made, for its replay; 409 when it was deleted since (a 404 would say the
    /// create route does not exist, and a new user would not be what the first request made).
    public func replayedUser(_ id: UserID, in organization: OrganizationID, by actor: Actor) async throws(EngineError)
        -> UserRecord
    {
        do {
            return try await user(id, in: organization, by: actor)
        } catch where error.code == .notFound {
            throw EngineError(
                .conflict,
                "\(id.rawValue) was created for this Idempotency-Key and has been deleted since; send the request "
                    + "with a new Idempotency-Key", param: "Idempotency-Key")
        }
    }

    /// Creates a super admin in the system folder (first start, or `pesa admin create`).
    public func createSuperAdmin(email: String, passwordHash: String) async throws(EngineError) -> UserRecord {
        let email = try Self.validEmail(email)
        try await requireEmailFree(email)
        let id = UserID(randomBytes: CommandContext.randomBytes(16))
        return try await system.execute { (state, _) throws(EngineError) in
            guard state.user(email: email) == nil else {
                throw EngineError(.conflict, "email is taken", param: "email")
            }
            let created = TenantEvent.userCreated(
                .init(userID: id, email: email, role: .superAdmin, passwordHash: passwordHash))
            let audit = TenantEvent.auditRecorded(
                .init(actor: "system", action: "user.create", target: id.rawValue, requestID: "cli"))
            return Decision(events: [created, audit], value: id)
        }.flatMapUser(in: system)
    }

    public var superAdminCount: Int {
        get async { (try? await system.read { state in state.users.values.filter { !$0.disabled }.count }) ?? 0 }
    }

    public func user(_ id: UserID, in organization: OrganizationID, by actor: Actor) async throws(EngineError)
        -> UserRecord
    {
        try actor.authorize(.listUsers, in: organization)
        return try await engine(organization).read { (state) throws(EngineError) in
            guard let user = state.user(id: id) else { throw EngineError.notFound("user") }
            return user
        }
    }

    public func users(in organization: OrganizationID, by actor: Actor) async throws(EngineError) -> [UserRecord] {
        try actor.authorize(.listUsers, in: organization)
        return try await engine(organization).read { state in
            state.users.values.sorted { ($0.createdAtMs, $0.id.rawValue) < ($1.createdAtMs, $1.id.rawValue) }
        }
    }

    public func updateUser(_ id: UserID, in organization: OrganizationID, _ changes: UserChanges, by actor: Actor)
        async throws(EngineError) -> UserRecord
    {
        try actor.authorize(.updateUser, in: organization)
        if let role = changes.role, !actor.principal.mayAssign(role, in: organization) || role == .superAdmin {
            throw EngineError(.forbidden, "your role may not give role \(role)")
        }
        let principal = actor.principal
        try await engine(organization).execute { (state, _) throws(EngineError) in
            guard let user = state.user(id: id) else { throw EngineError.notFound("user") }
            guard principal.role.mayManage(userWith: user.role) else {
                throw EngineError(.forbidden, "your role may not change a \(user.role)")
            }
            let update = TenantEvent.userUpdated(.init(
                userID: id, role: changes.role, passwordHash: changes.passwordHash, disabled: changes.disabled))
            return Decision(events: [update, actor.audit("user.update", target: id.rawValue)], value: ())
        }
        return try await user(id, in: organization, by: actor)
    }

    public func deleteUser(_ id: UserID, in organization: OrganizationID, by actor: Actor) async throws(EngineError) {
        try actor.authorize(.deleteUser, in: organization)
        let principal = actor.principal
        let email = try await engine(organization).execute { (state, _) throws(EngineError) in
            guard let user = state.user(id: id) else { throw EngineError.notFound("user") }
            guard principal.role.mayManage(userWith: user.role) else {
                throw EngineError(.forbidden, "your role may not delete a \(user.role)")
            }
            let deleted = TenantEvent.userDeleted(.init(userID: id))
            return Decision(events: [deleted, actor.audit("user.delete", target: id.rawValue)], value: user.email)
        }
        directory.remove(email: email)
    }

    /// The user an email logs in as: a super admin, or a user of the organization the email belongs to.
    public func loginCandidate(email: String) async throws(EngineError) -> LoginCandidate? {
        let email = email.lowercased()
        if let admin = try await system.read({ state in state.user(email: email) }) {
            return LoginCandidate(user: admin, organizationID: nil)
        }
        if directory.tenant(forEmail: email) == nil { await indexAllTenants() }
        guard let tenant = directory.tenant(forEmail: email), let organization = try? OrganizationID(parsing: tenant)
        else {
            return nil
        }
        guard let user = try await engine(organization).read({ state in state.user(email: email) }) else { return nil }
        return LoginCandidate(user: user, organizationID: organization)
    }

    /// A disabled organization still logs in and reads, but gets no new users or API keys (403).
    static func requireEnabled(_ state: TenantState, toCreate what: String) throws(EngineError) {
        guard let organization = state.organization else { throw EngineError.notFound("organization") }
        guard organization.status == .active else {
            throw EngineError(.forbidden, "this organization is disabled: no new \(what) until it is enabled again")
        }
    }

    private func requireEmailFree(_ email: String) async throws(EngineError) {
        await indexAllTenants()
        let taken = try await system.read { state in state.user(email: email) != nil }
        guard !taken, directory.tenant(forEmail: email) == nil else {
            throw EngineError(.conflict, "email is taken", param: "email")
        }
    }

    static func validEmail(_ email: String) throws(EngineError) -> String {
        let trimmed = email.trimmingWhitespace().lowercased()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !trimmed.contains(where: { $0.isWhitespace })
        else {
            throw EngineError.invalid("email", "email must be an address like name@example.com")
        }
        return trimmed
    }
}

extension UserID {
    fileprivate func flatMapUser(in engine: TenantEngine) async throws(EngineError) -> UserRecord {
        let id = self
        return try await engine.read { (state) throws(EngineError) in
            guard let user = state.user(id: id) else { throw EngineError.notFound("user") }
            return user
        }
    }
}
