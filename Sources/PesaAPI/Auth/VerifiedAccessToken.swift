public import PesaCore

/// A JWT that passed every check: who it names, and when it was issued and expires (Unix seconds).
public struct VerifiedAccessToken: Hashable, Sendable {
    public let identity: Identity
    public let user: UserID
    /// The `jti` claim.
    public let tokenID: String
    public let issuedAtSeconds: Int64
    /// The `iat_ms` claim (milliseconds); `iat` × 1000 for a token without it, issued by an earlier version.
    public let issuedAtMs: Int64
    public let expiresAtSeconds: Int64
}
