/// A freshly signed JWT, for the login answer `{access_token, token_type: "Bearer", expires_in}`.
public struct IssuedAccessToken: Sendable, CustomStringConvertible {
    /// The compact JWT. Never log it.
    public let token: String
    public let tokenID: String
    public let expiresInSeconds: Int64

    public var description: String { "IssuedAccessToken(jti: \(tokenID), token: <redacted>)" }
}
