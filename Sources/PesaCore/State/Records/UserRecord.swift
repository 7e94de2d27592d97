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
    /// When the password last changed (nil: never since creation).
    public internal(set) var passwordChangedAtMs: Int64?

    /// Whether a JWT issued at `issuedAtMs` predates the user's last change (`updatedAtMs`: a new password, or
    /// another role, disabled flag or email), so that its session ended with that change. Compared to the millisecond,
    /// and a token of the change's own millisecond counts as earlier: a session is never kept by a tie. A later
    /// change back (re-enabled, the old role restored) is itself a change, so it revives nothing.
    public func predatesChange(issuedAtMs: Int64) -> Bool {
        // Creation ends no session (there was none before it).
        updatedAtMs > createdAtMs && issuedAtMs <= updatedAtMs
    }
}
