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
    /// When the password last changed (nil: never since creation). JWTs issued in an earlier second are dead.
    public internal(set) var passwordChangedAtMs: Int64?

    /// Whether a JWT issued at `issuedAtSeconds` predates the last password change. Tokens carry whole seconds,
    /// so one issued in the very second of the change is still accepted (a login right after a change works).
    public func predatesPasswordChange(issuedAtSeconds: Int64) -> Bool {
        guard let passwordChangedAtMs else { return false }
        let changedAtMs = passwordChangedAtMs
        let changedAtSeconds = changedAtMs >= 0 ? changedAtMs / 1000 : (changedAtMs - 999) / 1000
        return issuedAtSeconds < changedAtSeconds
    }
}
