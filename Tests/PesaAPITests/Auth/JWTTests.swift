import Foundation
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import Testing

@Suite struct JWTTests {
    func whoAmI(_ app: TestApp, token: String) async throws -> TestResponse {
        try await app.test { client in
            try await client.execute(uri: "/v1/whoami", method: .get, headers: TestApp.bearer(token))
        }
    }

    func expectUnauthenticated(_ app: TestApp, token: String, _ comment: Comment) async throws {
        let response = try await whoAmI(app, token: token)
        #expect(response.status == .unauthorized, comment)
        let error = try ErrorBody.decode(response)
        #expect(error.code == "UNAUTHENTICATED", comment)
        #expect(error.type == "authentication_error", comment)
        #expect(error.message == "missing or invalid credentials", comment)
        #expect(response.headers[.requestID] == error.request_id, comment)
    }

    @Test func issuedTokenAuthenticates() async throws {
        let app = await TestApp()
        let token = try await app.token(role: .manager, organization: TestApp.orgA)
        let response = try await whoAmI(app, token: token)
        #expect(response.status == .ok)
        #expect(response.text.contains(TestApp.userA.rawValue))
        #expect(response.text.contains("\"role\":\"manager\""))
        #expect(response.text.contains(TestApp.orgA.rawValue))
        #expect(response.text.contains("\"kind\":\"jwt\""))
    }

    @Test func issuedClaimsAreTheContractsClaims() async throws {
        let app = await TestApp()
        let issued = try await app.accessTokens.issue(
            user: TestApp.userA, principal: try Principal(role: .superAdmin, organizationID: nil))
        let parts = issued.token.split(separator: ".")
        #expect(parts.count == 3)
        var payload = String(parts[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        let json = try #require(Data(base64Encoded: payload))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        // The contract's claims (no `org` for super_admin), and the issue time to the millisecond.
        #expect(Set(object.keys) == ["sub", "role", "iat", "exp", "jti", "iat_ms"])
        let iatMs = try #require(object["iat_ms"] as? Int64)
        #expect(iatMs / 1000 == object["iat"] as? Int64)
        #expect(object["role"] as? String == "super_admin")
        #expect(issued.expiresInSeconds == Limits.accessTokenLifetimeSeconds)
        #expect(!"\(issued)".contains(issued.token))
        let verified = try await app.accessTokens.verify(issued.token)
        #expect(verified.identity.organizationID == nil)
        #expect(verified.tokenID == issued.tokenID)
    }

    @Test func noTokenIs401AndMalformedHeaderIs401() async throws {
        let app = await TestApp()
        try await app.test { client in
            try await client.execute(uri: "/v1/whoami", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            for header in ["Basic abc", "Bearer", "Bearer ", "bearer x.y.z", "Token abc"] {
                try await client.execute(uri: "/v1/whoami", method: .get, headers: [.authorization: header]) {
                    #expect($0.status == .unauthorized, "\(header)")
                }
            }
        }
    }

    @Test func forgedTokensAre401() async throws {
        let app = await TestApp()
        let now = app.clock.nowMs / 1000
        let key = TestApp.signingKey
        let sub = TestApp.userA.rawValue
        let org = TestApp.orgA.rawValue
        let good = JWTForge.claims(sub: sub, org: org, role: "org_admin", iat: now, exp: now + 600)
        // Sanity: the forge makes valid tokens when everything is right.
        #expect(try await whoAmI(app, token: JWTForge.signed(payload: good, key: key)).status == .ok)

        let otherKey = Array("another-key-another-key-another-key!".utf8)
        try await expectUnauthenticated(app, token: JWTForge.signed(payload: good, key: otherKey), "wrong key")
        let none = JWTForge.part(#"{"alg":"none","typ":"JWT"}"#) + "." + JWTForge.part(good) + "."
        try await expectUnauthenticated(app, token: none, "alg none")
        let noneSigned = JWTForge.signed(header: #"{"alg":"none"}"#, payload: good, key: key)
        try await expectUnauthenticated(app, token: noneSigned, "alg none with an HS256 signature")
        let hs512Input = JWTForge.part(#"{"alg":"HS512"}"#) + "." + JWTForge.part(good)
        try await expectUnauthenticated(app, token: hs512Input + "." + JWTForge.hs512(hs512Input, key: key), "HS512")
        let rs256 = JWTForge.signed(header: #"{"alg":"RS256"}"#, payload: good, key: key)
        try await expectUnauthenticated(app, token: rs256, "RS256 header")

        let valid = JWTForge.signed(payload: good, key: key)
        let parts = valid.split(separator: ".").map(String.init)
        let promoted = JWTForge.claims(sub: sub, org: nil, role: "super_admin", iat: now, exp: now + 600)
        try await expectUnauthenticated(
            app, token: parts[0] + "." + JWTForge.part(promoted) + "." + parts[2], "tampered payload")
        try await expectUnauthenticated(app, token: parts[0] + "." + parts[1] + ".", "signature removed")
        try await expectUnauthenticated(app, token: "a.b", "two parts")
        try await expectUnauthenticated(app, token: "not a token at all", "garbage")
        // The canonical encoding only: a padding `=`, or a changed unused bit in a part's last character, is
        // another spelling of the same bytes, and is refused.
        try await expectUnauthenticated(app, token: valid + "=", "trailing =")
        for index in 0..<3 {
            var altered = parts
            altered[index] = Self.flipUnusedBit(altered[index])
            if altered[index] != parts[index] {
                try await expectUnauthenticated(
                    app, token: altered.joined(separator: "."), "unused bit of part \(index)")
            }
        }
    }

    /// The same bytes in another base64url spelling: the last character with an unused low bit set (nothing
    /// changes when the part's length leaves no unused bits).
    static func flipUnusedBit(_ part: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let unusedBits = [0: 0, 2: 4, 3: 2][part.count % 4] ?? 0
        guard unusedBits > 0, let last = part.last, let value = alphabet.firstIndex(of: last) else { return part }
        return String(part.dropLast()) + String(alphabet[value ^ 1])
    }

    @Test func claimsThatDoNotHoldAre401() async throws {
        let app = await TestApp()
        let now = app.clock.nowMs / 1000
        let key = TestApp.signingKey
        let sub = TestApp.userA.rawValue
        let org = TestApp.orgA.rawValue
        let cases: [(String, String)] = [
            (JWTForge.claims(sub: sub, org: org, role: "user", iat: now - 700, exp: now - 100), "expired"),
            (JWTForge.claims(sub: sub, org: org, role: "user", iat: now - 700, exp: now), "expires now"),
            (JWTForge.claims(sub: sub, org: org, role: "user", iat: now + 600, exp: now + 1200), "not yet valid"),
            (JWTForge.claims(sub: sub, org: org, role: "root", iat: now, exp: now + 600), "unknown role"),
            (JWTForge.claims(sub: sub, org: nil, role: "org_admin", iat: now, exp: now + 600), "org_admin, no org"),
            (JWTForge.claims(sub: sub, org: org, role: "super_admin", iat: now, exp: now + 600), "super_admin + org"),
            (JWTForge.claims(sub: "alice", org: org, role: "user", iat: now, exp: now + 600), "sub not a user id"),
            (JWTForge.claims(sub: sub, org: "org_x", role: "user", iat: now, exp: now + 600), "org not an id"),
            (JWTForge.claims(sub: sub, org: org, role: "user", iat: now, exp: now + 600, jti: ""), "empty jti"),
            (#"{"sub":"\#(sub)","org":"\#(org)","role":"user","exp":\#(now + 600),"jti":"j"}"#, "no iat"),
        ]
        for (claims, comment) in cases {
            try await expectUnauthenticated(app, token: JWTForge.signed(payload: claims, key: key), "\(comment)")
        }
    }

    @Test func tokenExpiresWithTheClock() async throws {
        let app = await TestApp()
        let token = try await app.token(role: .user, organization: TestApp.orgA)
        #expect(try await whoAmI(app, token: token).status == .ok)
        app.clock.advance(ms: Limits.accessTokenLifetimeSeconds * 1000)
        try await expectUnauthenticated(app, token: token, "after its lifetime")
    }

    @Test func revokedTokenIs401() async throws {
        struct RevokeAll: TokenRevocationChecker {
            func isRevoked(_ token: VerifiedAccessToken) async throws -> Bool { true }
        }
        var app = await TestApp()
        app.revocation = RevokeAll()
        let token = try await app.token(role: .user, organization: TestApp.orgA)
        try await expectUnauthenticated(app, token: token, "revoked")
    }

    @Test func tokensNeverReachTheLogs() async throws {
        let app = await TestApp()
        let token = try await app.token(role: .user, organization: TestApp.orgA)
        _ = try await whoAmI(app, token: token)
        _ = try await whoAmI(app, token: token + "x")
        let signature = String(token.split(separator: ".")[2])
        #expect(!app.logs.all.isEmpty)
        #expect(!app.logs.all.contains { $0.contains(signature) })
        #expect(app.logs.all.contains { $0.contains("request") && $0.contains("route=/v1/whoami") })
        #expect(app.logs.all.contains { $0.contains("tenant=\(TestApp.orgA.rawValue)") && $0.contains("status=200") })
    }
}
