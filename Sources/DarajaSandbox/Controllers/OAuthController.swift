import DarajaWire
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /oauth/v1/generate?grant_type=client_credentials`: any consumer key and secret get a token, except a
/// consumer key that begins with `invalid` (a test value, like the test phone numbers), refused the way Daraja
/// refuses wrong keys: HTTP 400, `400.008.01` "Invalid Authentication passed".
struct OAuthController {
    let services: SandboxServices
    private static let tokenAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get(RouterPath(DarajaEndpoint.oauthToken.path)) { request, _ in try self.generate(request) }
    }

    func generate(_ request: Request) throws(SandboxHTTPError) -> Response {
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":"),
            colon != pair.startIndex, pair.index(after: colon) != pair.endIndex
        else {
            throw SandboxHTTPError(.badRequest, DarajaErrorCode.invalidAuthentication, "Invalid Authentication passed")
        }
        guard request.uri.queryParameters["grant_type"] == "client_credentials" else {
            throw SandboxHTTPError(.badRequest, DarajaErrorCode.invalidGrantType, "Invalid grant type passed")
        }
        let consumerKey = String(pair[..<colon])
        guard !consumerKey.lowercased().hasPrefix(Self.refusedKeyPrefix) else {
            throw SandboxHTTPError(.badRequest, DarajaErrorCode.invalidAuthentication, "Invalid Authentication passed")
        }
        let token = Self.newToken()
        let lifetime = services.configuration.tokenLifetimeSeconds
        let record = TokenRecord(consumerKey: consumerKey, expiresAt: .now + .seconds(lifetime))
        services.state.withLock { storage in
            storage.tokens[token] = record
            storage.tokenRequestCount += 1
        }
        let expiresIn =
            services.configuration.expiresInAsNumber ? FlexibleString(lifetime) : FlexibleString(String(lifetime))
        return JSONResponse.make(AccessTokenResponse(accessToken: token, expiresIn: expiresIn))
    }

    /// Consumer keys that begin with this (any case) are refused, so that a wrong key can be tested offline.
    static let refusedKeyPrefix = "invalid"

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        for _ in 0..<28 { bytes.append(tokenAlphabet[Int(generator.next() % UInt64(tokenAlphabet.count))]) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
