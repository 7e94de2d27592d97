public import PesaCore

/// Authorization in one call, with the contract's answers: 401 without credentials, 403 when the role may
/// not, 404 when the object belongs to another organization (exactly as if it did not exist).
extension PesaRequestContext {
    /// The authenticated caller, or 401.
    public func requireIdentity() throws(APIError) -> Identity {
        guard let identity else { throw .unauthenticated() }
        return identity
    }

    /// Checks PesaCore's permission matrix for `action` on an object owned by `organization` (nil for
    /// instance-wide actions). Actions open to anyone need no identity and return nil.
    @discardableResult
    public func require(_ action: Action, in organization: OrganizationID? = nil) throws(APIError) -> Identity? {
        if case .anyone = action.requirement { return identity }
        let identity = try requireIdentity()
        switch identity.principal.authorize(action, in: organization) {
        case .allowed: return identity
        case .forbidden: throw .forbidden()
        case .notFound: throw .notFound()
        }
    }

    /// At least `role`, or 401 / 403.
    @discardableResult
    public func requireRole(atLeast role: Role) throws(APIError) -> Identity {
        let identity = try requireIdentity()
        guard identity.role >= role else { throw .forbidden() }
        return identity
    }

    /// Tenant isolation: an object of another organization is answered 404, never 403 (super_admin sees all).
    @discardableResult
    public func requireSameOrganization(_ organization: OrganizationID) throws(APIError) -> Identity {
        let identity = try requireIdentity()
        guard identity.principal.mayAccess(organization) else { throw .notFound() }
        return identity
    }

    /// The caller's own organization, for routes scoped to it (`/v1/payments`, `/v1/api-keys`, ...).
    /// A super_admin belongs to none: 403.
    public func requireOwnOrganization() throws(APIError) -> OrganizationID {
        let identity = try requireIdentity()
        guard let organization = identity.organizationID else {
            throw .forbidden("a super_admin has no organization; use a token of the organization")
        }
        return organization
    }
}
