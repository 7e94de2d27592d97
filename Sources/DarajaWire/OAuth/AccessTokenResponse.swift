/// `GET /oauth/v1/generate` answer. `expires_in` arrives as `"3599"` or `3599`
/// (Daraja's Authorization API documentation shows both).
public struct AccessTokenResponse: Codable, Sendable, Hashable {
    public var accessToken: String
    public var expiresIn: FlexibleString

    public init(accessToken: String, expiresIn: FlexibleString) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
    }

    /// The lifetime in seconds, whichever JSON type carried it.
    public var expiresInSeconds: Int64? { expiresIn.int64Value }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case expiresIn = "expires_in"
    }
}
