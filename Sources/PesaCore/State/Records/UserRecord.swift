/// A user of the organization (or, in the system folder, a super admin).
public struct UserRecord: Sendable, Equatable {
    public internal(set) var id: UserID
    public internal(set) var email: String
    public internal(set) var role: Role
    /// bcrypt hash.
    public internal(set) var passwordHash: String
    public internal(set) var disabled: Bool
    public internal(set) var createdAtMs: Int64
    public internal(set) var updatedAtMs: Int64
}
