import Foundation
import JWTKit
import NIOCore
public import PesaCore

/// Issues and verifies the login JWTs: HS256 only, with a key the caller supplies (the engine derives it from
/// the master key with HKDF, so restarts do not log anyone out). Every refusal is the same 401
/// `UNAUTHENTICATED`: wrong signature, `alg` other than HS256 (`none` included; jwt-kit, and `HS256HeaderParser`
/// for what jwt-kit lets through), tampered or missing claims, unknown role, expired or not yet valid.
public struct AccessTokens: Sendable {
    /// jwt-kit's key collection is an actor; one per core, so verifications do not queue behind one executor.
    let collections: [JWTKeyCollection]
    let clock: APIClock
    public let lifetimeSeconds: Int64
    /// Tokens already verified (signature and claims), so repeated requests skip jwt-kit.
    let verified: VerifiedTokenCache

    /// `signingKey` must have at least `Limits.jwtSigningKeyBytesMin` bytes (a configuration bug otherwise).
    /// `lifetimeSeconds` defaults to `Limits.accessTokenLifetimeSeconds`.
    public init(
        signingKey: [UInt8], lifetimeSeconds: Int64? = nil, clock: APIClock = .system, cacheCountMax: Int? = nil
    ) async {
        precondition(signingKey.count >= Limits.jwtSigningKeyBytesMin, "JWT signing key too short")
        var collections: [JWTKeyCollection] = []
        for _ in 0..<min(max(System.coreCount, 1), 8) {
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: signingKey), digestAlgorithm: .sha256, parser: HS256HeaderParser())
            collections.append(keys)
        }
        self.collections = collections
        self.clock = clock
        self.lifetimeSeconds = lifetimeSeconds ?? Limits.accessTokenLifetimeSeconds
        self.verified = VerifiedTokenCache(countMax: cacheCountMax)
    }

    /// Signs a token for `user` with `principal`'s role and organization, issued now, or just after
    /// `notBeforeMs` when that is later (a token given right after a change to its user must outlive it).
    public func issue(user: UserID, principal: Principal, notBeforeMs: Int64? = nil) async throws -> IssuedAccessToken {
        let nowMs = max(clock.nowMs(), (notBeforeMs ?? .min) + 1)
        let now = nowMs / 1000
        let claims = AccessTokenClaims(
            sub: user.rawValue, org: principal.organizationID?.rawValue, role: principal.role.rawValue,
            iat: now, exp: now + lifetimeSeconds, jti: Self.makeTokenID(), iatMs: nowMs)
        let token = try await keys.sign(claims)
        return IssuedAccessToken(token: token, tokenID: claims.jti, expiresInSeconds: lifetimeSeconds)
    }

    /// Signature and claims, or 401. A token verified before is answered from `verified` (its expiry checked
    /// again); revocation is not this type's business (see `TokenRevocationChecker`).
    public func verify(_ token: String) async throws(APIError) -> VerifiedAccessToken {
        let nowSeconds = clock.nowSeconds
        if let known = verified.token(token, nowSeconds: nowSeconds) { return known }
        let checked = try await verifyUncached(token)
        verified.insert(checked, for: token, nowSeconds: nowSeconds)
        return checked
    }

    func verifyUncached(_ token: String) async throws(APIError) -> VerifiedAccessToken {
        // Only the canonical encoding of each part: a changed padding bit or a trailing `=` is another token.
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy(Base64URL.isCanonical) else { throw .unauthenticated() }
        let claims: AccessTokenClaims
        do {
            claims = try await keys.verify(token, as: AccessTokenClaims.self)
        } catch {
            throw .unauthenticated()
        }
        return try validate(claims)
    }

    /// Any of the (identical) key collections.
    var keys: JWTKeyCollection {
        collections[Int.random(in: 0..<collections.count)]
    }

    func validate(_ claims: AccessTokenClaims) throws(APIError) -> VerifiedAccessToken {
        let now = clock.nowSeconds
        let issuedAtMs = claims.iatMs ?? claims.iat * 1000
        guard claims.exp > now, claims.iat <= now + Limits.accessTokenClockSkewSeconds, claims.iat < claims.exp,
            issuedAtMs / 1000 == claims.iat,
            !claims.jti.isEmpty, claims.jti.utf8.count <= 64,
            let role = Role(rawValue: claims.role),
            let user = try? UserID(parsing: claims.sub)
        else { throw .unauthenticated() }
        let organization: OrganizationID?
        switch claims.org {
        case .none: organization = nil
        case .some(let text):
            guard let parsed = try? OrganizationID(parsing: text) else { throw .unauthenticated() }
            organization = parsed
        }
        // super_admin tokens carry no `org`; every other role's must.
        guard role == .superAdmin ? organization == nil : organization != nil,
            let principal = try? Principal(role: role, organizationID: organization)
        else { throw .unauthenticated() }
        let identity = Identity(
            user: user, principal: principal, tokenID: claims.jti, tokenExpiresAtSeconds: claims.exp)
        return VerifiedAccessToken(
            identity: identity, user: user, tokenID: claims.jti, issuedAtSeconds: claims.iat,
            issuedAtMs: issuedAtMs, expiresAtSeconds: claims.exp)
    }

    static func makeTokenID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(bytes)
    }
}
