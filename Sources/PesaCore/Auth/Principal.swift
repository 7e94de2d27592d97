/// An authenticated caller (a user's JWT or an API key): a role and, except for super_admin, the one
/// organization it belongs to.
public struct Principal: Hashable, Sendable {
    public let role: Role
    /// nil only for super_admin.
    public let organizationID: OrganizationID?

    /// A super_admin spans every organization; everyone else belongs to exactly one.
    public init(role: Role, organizationID: OrganizationID?) throws(PesaCoreError) {
        switch (role, organizationID) {
        case (.superAdmin, _), (_, .some): break
        case (_, .none): throw .invalidField("org", "a \(role) belongs to an organization")
        }
        self.role = role
        self.organizationID = role == .superAdmin ? nil : organizationID
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// 403: the role may not.
        case forbidden
        /// 404: the object belongs to another organization, answered exactly as if it did not exist.
        case notFound
    }

    /// The tenant scoping rule plus the permission matrix. `organization` is the organization that owns the
    /// object or route (nil for instance-wide actions such as creating an organization).
    public func authorize(_ action: Action, in organization: OrganizationID?) -> Decision {
        if let organization, !mayAccess(organization) { return .notFound }
        return role.permits(action) ? .allowed : .forbidden
    }

    /// super_admin: every organization; anyone else: only their own.
    public func mayAccess(_ organization: OrganizationID) -> Bool {
        role == .superAdmin || organizationID == organization
    }

    /// Whether this caller may give `role` to a user or API key of `organization`.
    public func mayAssign(_ role: Role, in organization: OrganizationID) -> Bool {
        mayAccess(organization) && self.role.mayAssign(role) && (role != .superAdmin || self.role == .superAdmin)
    }
}
