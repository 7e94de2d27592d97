import Crypto
import JWTKit
@testable import PesaAPI
import PesaCore
import Testing
import _CryptoExtras

/// What jwt-kit refuses by itself with the key set-up of `AccessTokens` (HS256), and the one case it lets through,
/// which `HS256HeaderParser` refuses.
@Suite struct AccessTokenAlgorithmTests {
    static let key = TestApp.signingKey
    static let claims = AccessTokenClaims(
        sub: TestApp.userA.rawValue, org: TestApp.orgA.rawValue, role: "org_admin", iat: 1_000, exp: 2_000,
        jti: "jti-1")
    static let claimsJSON = JWTForge.claims(
        sub: claims.sub, org: claims.org, role: claims.role, iat: claims.iat, exp: claims.exp, jti: claims.jti)

    /// jwt-kit alone, as `AccessTokens` sets it up but without `HS256HeaderParser`.
    static func jwtKit(parser: some JWTParser = DefaultJWTParser()) async -> JWTKeyCollection {
        await JWTKeyCollection().add(hmac: HMACKey(from: key), digestAlgorithm: .sha256, parser: parser)
    }

    @Test func jwtKitRefusesNoneForeignAlgorithmsAndChangedHeaders() async throws {
        let keys = await Self.jwtKit()
        let valid = try await keys.sign(Self.claims)
        #expect(try await keys.verify(valid, as: AccessTokenClaims.self) == Self.claims)

        // Made by hand: jwt-kit wants an HS512 key of 64 bytes or more, and this is the HS256 key.
        let hs512Input = JWTForge.part(#"{"alg":"HS512","typ":"JWT"}"#) + "." + JWTForge.part(Self.claimsJSON)
        let hs512 = hs512Input + "." + JWTForge.hs512(hs512Input, key: Self.key)
        let rsaKey = try Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        let rs256 = try await JWTKeyCollection().add(rsa: rsaKey, digestAlgorithm: .sha256).sign(Self.claims)
        let parts = valid.split(separator: ".").map(String.init)
        // The signed header swapped for another, the payload and signature kept.
        let changedHeaders = [
            #"{"alg":"none"}"#, #"{"alg":"HS256"}"#, #"{"alg":"HS256","typ":"JWS"}"#,
            #"{"alg":"HS256","typ":"JWT","kid":"other"}"#,
        ]
        #expect(!changedHeaders.map(JWTForge.part).contains(parts[0]))
        let cases: [(String, String)] =
            [
                (JWTForge.part(#"{"alg":"none","typ":"JWT"}"#) + "." + parts[1] + ".", "alg none, no signature"),
                (hs512, "HS512 with the same key"),
                (rs256, "RS256 with an RSA key"),
            ] + changedHeaders.map { (JWTForge.part($0) + "." + parts[1] + "." + parts[2], "header \($0)") }
        #expect(try DefaultJWTParser().parse(Array(hs512.utf8), as: AccessTokenClaims.self).header.alg == "HS512")
        #expect(try DefaultJWTParser().parse(Array(rs256.utf8), as: AccessTokenClaims.self).header.alg == "RS256")
        for (token, comment) in cases {
            await #expect(throws: (any Error).self, "\(comment)") {
                _ = try await keys.verify(token, as: AccessTokenClaims.self)
            }
        }
    }

    /// jwt-kit checks the signature with the key's algorithm and never reads the header's `alg`: a header naming
    /// another algorithm (or none) over a signature our key made passes it. `HS256HeaderParser` refuses those.
    @Test func foreignAlgNameOverOurSignaturePassesJWTKitButNotTheHeaderCheck() async throws {
        let plain = await Self.jwtKit()
        let checked = await Self.jwtKit(parser: HS256HeaderParser())
        for header in [#"{"alg":"none"}"#, #"{"alg":"RS256"}"#, #"{"alg":"HS512"}"#, #"{"typ":"JWT"}"#] {
            let token = JWTForge.signed(header: header, payload: Self.claimsJSON, key: Self.key)
            #expect(try await plain.verify(token, as: AccessTokenClaims.self) == Self.claims, "\(header)")
            await #expect(throws: JWTError.self, "\(header)") {
                _ = try await checked.verify(token, as: AccessTokenClaims.self)
            }
        }
        let ours = JWTForge.signed(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: Self.claimsJSON, key: Self.key)
        #expect(try await checked.verify(ours, as: AccessTokenClaims.self) == Self.claims)
    }
}
