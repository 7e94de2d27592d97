public import Hummingbird
import HTTPTypes
public import PesaCore

/// Applies the caller's rate limits: its organization's (looked up through `organizationLimit`: its plan's, or
/// its override) and, for an API key with its own limit (`Identity.keyRateLimit`), the key's. A request takes
/// one token from each, or from none when either refuses (`RateLimiter.take`). Every answer gets the
/// `RateLimit-*` headers of the tighter bucket; a refused request gets 429 with `Retry-After`. Anonymous
/// requests (Daraja's callbacks among them), super_admin and organizations without a limit (nil) pass
/// untouched. Install after `Authenticator`.
public struct RateLimitMiddleware: RouterMiddleware {
    public typealias Context = PesaRequestContext

    let limiter: RateLimiter
    let organizationLimit: @Sendable (OrganizationID) async throws -> RateLimit?

    public init(
        limiter: RateLimiter, organizationLimit: @escaping @Sendable (OrganizationID) async throws -> RateLimit?
    ) {
        self.limiter = limiter
        self.organizationLimit = organizationLimit
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let identity = context.identity, let organization = identity.organizationID else {
            return try await next(request, context)
        }
        var buckets: [RateLimiter.Bucket] = []
        if let limit = try await organizationLimit(organization) { buckets.append(.organization(organization, limit)) }
        if case .apiKey(let key) = identity.subject, let keyLimit = identity.keyRateLimit {
            buckets.append(.apiKey(key, keyLimit))
        }
        guard !buckets.isEmpty else { return try await next(request, context) }
        let status = limiter.take(buckets)
        try status.check()
        // An answer that already carries `RateLimit-*` (a login refused by its own throttle) keeps its own.
        do {
            var response = try await next(request, context)
            if response.headers[.rateLimitLimit] == nil { status.apply(to: &response) }
            return response
        } catch {
            var apiError = ErrorMapping.apiError(for: error)
            if apiError.headers[.rateLimitLimit] == nil { apiError.headers.append(contentsOf: status.headers) }
            throw apiError
        }
    }
}
