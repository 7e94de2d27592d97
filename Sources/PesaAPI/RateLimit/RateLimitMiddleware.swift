public import Hummingbird
import HTTPTypes
public import PesaCore

/// Applies the caller's organization's rate limit (looked up through `ratePerMinute`, e.g. from its plan):
/// every answer gets the `RateLimit-*` headers, a refused request gets 429 with `Retry-After`. Anonymous
/// requests, super_admin and organizations without a limit (nil) pass untouched. Install after `Authenticator`.
public struct RateLimitMiddleware: RouterMiddleware {
    public typealias Context = PesaRequestContext

    let limiter: RateLimiter
    let ratePerMinute: @Sendable (OrganizationID) async throws -> Int64?

    public init(limiter: RateLimiter, ratePerMinute: @escaping @Sendable (OrganizationID) async throws -> Int64?) {
        self.limiter = limiter
        self.ratePerMinute = ratePerMinute
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let organization = context.identity?.organizationID,
            let rate = try await ratePerMinute(organization)
        else { return try await next(request, context) }
        let status = limiter.take(for: organization, ratePerMinute: rate)
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
