/// Who someone is in the gateway. Ranked: `superAdmin` > `orgAdmin` > `manager` > `user`.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    case superAdmin = "super_admin"
    case orgAdmin = "org_admin"
    case manager
    case user

    /// Higher is more powerful.
    public var rank: Int {
        switch self {
        case .superAdmin: 3
        case .orgAdmin: 2
        case .manager: 1
        case .user: 0
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    public var description: String { rawValue }

    /// Whether this role may perform `action` at all (the tenant rule is `Principal.authorize`).
    public func permits(_ action: Action) -> Bool {
        switch action.requirement {
        case .anyone: true
        case .atLeast(let minimum): self >= minimum
        }
    }

    /// Whether someone of this role may give `role` to a user or an API key: never above their own
    /// role, never `super_admin` unless they are one, and only admins give roles at all.
    public func mayAssign(_ role: Role) -> Bool {
        switch self {
        case .superAdmin: true
        case .orgAdmin: role <= .orgAdmin
        case .manager, .user: false
        }
    }

    /// Whether someone of this role may change or delete a user who holds `role` (same rule as assigning).
    public func mayManage(userWith role: Role) -> Bool { mayAssign(role) }
}
