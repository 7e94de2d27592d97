import JWTKit

/// The login JWT's payload, as the HTTP contract fixes it: `sub` (user id), `org` (absent for super_admin), `role`,
/// `iat`, `exp` (Unix seconds) and `jti`; plus `iat_ms`, the issue time in milliseconds, so that a change to the
/// user ends the sessions opened before it even within the same second. Times are checked by `AccessTokens`
/// against its injected clock.
struct AccessTokenClaims: JWTPayload, Equatable {
    var sub: String
    var org: String?
    var role: String
    var iat: Int64
    var exp: Int64
    var jti: String
    var iatMs: Int64?

    enum CodingKeys: String, CodingKey {
        case sub, org, role, iat, exp, jti
        case iatMs = "iat_ms"
    }

    /// Signature checked by jwt-kit; everything else by `AccessTokens.verify` (clock injected there).
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
