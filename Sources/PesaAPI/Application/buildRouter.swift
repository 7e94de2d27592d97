public import Hummingbird
import HTTPTypes
import Prometheus
import Synchronization

/// The gateway's router: the middleware chain of the contract, the operational routes, and the business
/// routes that `addRoutes` registers (through `APIRoutes`, so each one is documented in
/// `GET /openapi.json` and its role requirement enforced).
///
/// Middleware, outermost first: request id → access log → metrics → errors → body limit → JSON content
/// type → authenticator → rate limit (when `rateLimit` is set) → API call count (when `countAPICall` is
/// set) → billing warning (when `billingWarning` is set) → client gone (a request that changes
/// something is not started once its client has closed the connection).
public func buildRouter(
    configuration: APIConfiguration, addRoutes: (APIRoutes) throws -> Void = { _ in }
) rethrows -> Router<PesaRequestContext> {
    let router = Router(context: PesaRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: AccessLogMiddleware(level: configuration.accessLogLevel))
    router.add(
        middleware: HTTPMetricsMiddleware(factory: PrometheusMetricsFactory(registry: configuration.metricsRegistry)))
    router.add(middleware: ErrorMiddleware())
    let bodyLimits = RouteBodyLimits()
    router.add(middleware: BodyLimitMiddleware(routeLimits: bodyLimits))
    router.add(
        middleware: JSONContentTypeMiddleware(exemptPathPrefixes: configuration.jsonContentTypeExemptPathPrefixes))
    router.add(
        middleware: Authenticator(
            accessTokens: configuration.accessTokens, apiKeys: configuration.apiKeys,
            revocation: configuration.revocation, sessionCookieName: configuration.sessionCookieName,
            metricsToken: configuration.metricsToken))
    if let rateLimit = configuration.rateLimit {
        router.add(middleware: RateLimitMiddleware(limiter: configuration.rateLimiter, organizationLimit: rateLimit))
    }
    if let countAPICall = configuration.countAPICall {
        router.add(middleware: APICallCountMiddleware(count: countAPICall))
    }
    if let billingWarning = configuration.billingWarning {
        router.add(middleware: BillingWarningMiddleware(warning: billingWarning))
    }
    router.add(middleware: ClientGoneMiddleware())

    let routes = APIRoutes(router: router, bodyLimits: bodyLimits)
    let operations = OperationsController(
        readiness: configuration.readiness, registry: configuration.metricsRegistry)
    operations.addRoutes(to: routes)
    try addRoutes(routes)
    let document = OpenAPIDocument(version: configuration.version, serverURL: configuration.publicURL)
    let bytes = document.encoded(routes.specs)
    operations.openAPI.bytes.withLock { $0 = bytes }
    return router
}
