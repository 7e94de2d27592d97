import Hummingbird
import HummingbirdTesting
@testable import PesaAPI
import PesaCore
import Synchronization
import Testing

@Suite struct VerifiedTokenCacheTests {
    /// Revokes what the test says, when it says: the cache must never hide a revocation.
    final class Switchable: TokenRevocationChecker {
        let revoked = Mutex<Set<String>>([])
        func isRevoked(_ token: VerifiedAccessToken) async throws -> Bool {
            revoked.withLock { $0.contains(token.tokenID) }
        }
    }

    static func verified(_ jti: String, expiresAtSeconds: Int64) throws -> VerifiedAccessToken {
        let principal = try Principal(role: .user, organizationID: TestApp.orgA)
        return VerifiedAccessToken(
            identity: Identity(user: TestApp.userA, principal: principal, tokenID: jti),
            user: TestApp.userA, tokenID: jti, issuedAtSeconds: 0, issuedAtMs: 0, expiresAtSeconds: expiresAtSeconds)
    }

    @Test func aHitIsAnsweredUntilExpiryAndThenForgotten() throws {
        let cache = VerifiedTokenCache(countMax: 10)
        cache.insert(try Self.verified("a", expiresAtSeconds: 100), for: "token-a", nowSeconds: 50)
        #expect(cache.token("token-a", nowSeconds: 99)?.tokenID == "a")
        #expect(cache.token("token-b", nowSeconds: 99) == nil)
        #expect(cache.token("token-a", nowSeconds: 100) == nil)
        #expect(cache.count == 0)
    }

    @Test func theTableIsBoundedExpiredEntriesGoingFirst() throws {
        let cache = VerifiedTokenCache(countMax: 3)
        cache.insert(try Self.verified("old", expiresAtSeconds: 10), for: "old", nowSeconds: 0)
        cache.insert(try Self.verified("b", expiresAtSeconds: 100), for: "b", nowSeconds: 0)
        cache.insert(try Self.verified("c", expiresAtSeconds: 100), for: "c", nowSeconds: 0)
        cache.insert(try Self.verified("d", expiresAtSeconds: 100), for: "d", nowSeconds: 20)
        #expect(cache.count == 3)
        #expect(cache.token("b", nowSeconds: 20) != nil && cache.token("d", nowSeconds: 20) != nil)
        cache.insert(try Self.verified("e", expiresAtSeconds: 100), for: "e", nowSeconds: 20)
        #expect(cache.count <= 3)
        #expect(cache.token("e", nowSeconds: 20) != nil)
    }

    @Test func aCachedTokenIsStillRefusedTheMomentItIsRevoked() async throws {
        var app = await TestApp()
        let revocation = Switchable()
        app.revocation = revocation
        let tokens = app.accessTokens
        let issued = try await app.accessTokens.issue(
            user: TestApp.userA, principal: try Principal(role: .user, organizationID: TestApp.orgA))
        try await app.test { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/v1/whoami", method: .get, headers: TestApp.bearer(issued.token)) {
                    #expect($0.status == .ok)
                }
            }
            #expect(tokens.verified.count == 1)
            revocation.revoked.withLock { _ = $0.insert(issued.tokenID) }
            try await client.execute(uri: "/v1/whoami", method: .get, headers: TestApp.bearer(issued.token)) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test func aCachedTokenExpiresWithTheClockAndATamperedOneIsNeverCached() async throws {
        let app = await TestApp()
        let token = try await app.token(role: .user, organization: TestApp.orgA)
        _ = try await app.accessTokens.verify(token)
        #expect(app.accessTokens.verified.count == 1)
        var tampered = token
        tampered.removeLast()
        await #expect(throws: APIError.self) { try await app.accessTokens.verify(tampered) }
        #expect(app.accessTokens.verified.count == 1)
        app.clock.advance(ms: Limits.accessTokenLifetimeSeconds * 1000)
        await #expect(throws: APIError.self) { try await app.accessTokens.verify(token) }
    }
}
