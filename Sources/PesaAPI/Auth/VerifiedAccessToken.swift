public import PesaCore

/// A JWT that passed every check: who it names, and when it was issued and expires (Unix seconds).
public struct VerifiedAccessToken: Hashable, Sendable {
    public let identity: Identity
    public let user: UserID
    /// The `jti` claim.
    public let tokenID: String
    public let issuedAtSeconds: Int64
    public let expiresAtSeconds: Int64
}
