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

/// A freshly signed JWT, for the login answer `{access_token, token_type: "Bearer", expires_in}`.
public struct IssuedAccessToken: Sendable, CustomStringConvertible {
    /// The compact JWT. Never log it.
    public let token: String
    public let tokenID: String
    public let expiresInSeconds: Int64

    public var description: String { "IssuedAccessToken(jti: \(tokenID), token: <redacted>)" }
}
