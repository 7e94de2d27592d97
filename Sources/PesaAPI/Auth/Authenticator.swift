public import Hummingbird
import HTTPTypes
import Logging
import PesaCore
import PesaEngine

/// Reads `Authorization: Bearer <token>`. A token starting `pk_` is an API key, looked up by its SHA-256
/// through the injected `APIKeyResolver`; anything else must be a valid JWT that the
/// `TokenRevocationChecker` does not reject. Bad credentials are a 401 with a generic message; no header
/// leaves the request anonymous (the route's `require…` call answers 401 if it needs a caller).
/// Without an `Authorization` header, a JWT in the `sessionCookieName` cookie (the dashboard's session)
/// is accepted the same way; a cookie that does not verify is ignored (the page then asks to log in).
/// On `GET /metrics` only, the configured metrics token (`PESA_METRICS_TOKEN`, compared in constant time) is
/// accepted too: it authenticates no one, it only sets `presentedMetricsToken`. The token itself is never logged.
public struct Authenticator: RouterMiddleware {
    public typealias Context = PesaRequestContext

    let accessTokens: AccessTokens
    let apiKeys: any APIKeyResolver
    let revocation: any TokenRevocationChecker
    let sessionCookieName: String?
    let metricsToken: [UInt8]?

    public init(
        accessTokens: AccessTokens, apiKeys: any APIKeyResolver,
        revocation: any TokenRevocationChecker = NoRevocation(), sessionCookieName: String? = nil,
        metricsToken: String? = nil
    ) {
        self.accessTokens = accessTokens
        self.apiKeys = apiKeys
        self.revocation = revocation
        self.sessionCookieName = sessionCookieName
        self.metricsToken = metricsToken.map { Array($0.utf8) }
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let identity: Identity
        if let header = request.headers[.authorization] {
            if isMetricsToken(header, path: request.uri.path) {
                var context = context
                context.presentedMetricsToken = true
                return try await next(request, context)
            }
            identity = try await authenticate(authorization: header)
        } else if let sessionCookieName, let cookie = request.cookies[sessionCookieName],
            let session = try? await verifiedJWT(cookie.value)
        {
            identity = session
        } else {
            return try await next(request, context)
        }
        var context = context
        context.identity = identity
        context.trace.organizationID = identity.organizationID
        context.logger[metadataKey: "tenant"] = .string(identity.organizationID?.rawValue ?? "-")
        context.logger[metadataKey: "subject"] = .string(identity.subject.description)
        return try await next(request, context)
    }

    /// The caller behind an `Authorization` header value, or 401. Resolver / checker errors propagate
    /// (a fenced tenant is a 503, not a 401).
    public func authenticate(authorization header: String) async throws -> Identity {
        guard let token = Self.bearerToken(header) else { throw APIError.unauthenticated() }
        if APIKey.isKeyShaped(token) {
            guard APIKey.isWellFormed(token),
                let identity = try await apiKeys.identity(forKeyHash: APIKey.hash(of: token))
            else { throw APIError.unauthenticated() }
            return identity
        }
        return try await verifiedJWT(token)
    }

    /// Whether `header` is `Bearer <metrics token>` on the metrics path.
    func isMetricsToken(_ header: String, path: String) -> Bool {
        guard let metricsToken, path == "/metrics", let token = Self.bearerToken(header) else { return false }
        return ConstantTime.equals(Array(token.utf8), metricsToken)
    }

    /// The token of `Bearer <token>` (scheme case-insensitive, spaces around the token ignored); nil when the
    /// header is too long, of another scheme, or empty. Works on the UTF-8 bytes: it runs on every request.
    static func bearerToken(_ header: String) -> String? {
        let bytes = header.utf8
        guard bytes.count > 7, bytes.count <= Limits.authorizationHeaderBytesMax else { return nil }
        let scheme = Array("bearer ".utf8)
        for (index, byte) in bytes.prefix(7).enumerated() {
            let lowered = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            guard lowered == scheme[index] else { return nil }
        }
        var token = bytes.dropFirst(7)
        while token.first == UInt8(ascii: " ") { token = token.dropFirst() }
        while token.last == UInt8(ascii: " ") { token = token.dropLast() }
        guard !token.isEmpty else { return nil }
        return String(Substring(token))
    }

    func verifiedJWT(_ token: String) async throws -> Identity {
        guard token.utf8.count <= Limits.authorizationHeaderBytesMax else { throw APIError.unauthenticated() }
        let verified = try await accessTokens.verify(token)
        guard try await !revocation.isRevoked(verified) else { throw APIError.unauthenticated() }
        return verified.identity
    }
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
