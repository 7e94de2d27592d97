public import Logging
public import PesaCore
public import PesaEngine
public import Prometheus

/// What `buildRouter` needs from the outside: the auth collaborators the engine provides, the metrics
/// registry `GET /metrics` renders, readiness, and the optional rate limits and API call count.
public struct APIConfiguration: Sendable {
    public var accessTokens: AccessTokens
    public var apiKeys: any APIKeyResolver
    public var revocation: any TokenRevocationChecker
    /// Where the HTTP metrics go, and what `GET /metrics` renders (bootstrap swift-metrics with a
    /// `PrometheusMetricsFactory(registry:)` on it so that every module's metrics appear too).
    public var metricsRegistry: PrometheusCollectorRegistry
    /// `GET /readyz`: storage writable and tenants loaded, or why not.
    public var readiness: @Sendable () async -> Readiness
    /// Rate limits: the limiter and each organization's limit in force (nil: unlimited). nil: no rate limits
    /// at all (not even API keys' own).
    public var rateLimiter: RateLimiter
    public var rateLimit: (@Sendable (OrganizationID) async throws -> RateLimit?)?
    /// Paths whose bodies need not be JSON (the dashboard's forms).
    public var jsonContentTypeExemptPathPrefixes: [String]
    /// The dashboard's session cookie holding a login JWT (nil: bearer tokens only).
    public var sessionCookieName: String?
    public var accessLogLevel: Logger.Level
    /// `info.version` and `servers` of the OpenAPI document.
    public var version: String
    public var publicURL: String?
    /// Besides a super_admin JWT, this bearer token may read `GET /metrics` (Prometheus scrapes); nil: none.
    public var metricsToken: String?
    /// Counts an organization's API call (usage metering); nil: not counted.
    public var countAPICall: (@Sendable (OrganizationID) -> Void)?
    /// The `Pesa-Billing-Warning` an organization's answers carry (a subscription past due); nil: none.
    public var billingWarning: (@Sendable (OrganizationID) async -> String?)? = nil

    public init(
        accessTokens: AccessTokens, apiKeys: any APIKeyResolver = NoAPIKeys(),
        revocation: any TokenRevocationChecker = NoRevocation(),
        metricsRegistry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        readiness: @escaping @Sendable () async -> Readiness = { .ready }, rateLimiter: RateLimiter = RateLimiter(),
        rateLimit: (@Sendable (OrganizationID) async throws -> RateLimit?)? = nil,
        jsonContentTypeExemptPathPrefixes: [String] = ["/ui/"], sessionCookieName: String? = nil,
        accessLogLevel: Logger.Level = .info,
        version: String = "1.0.0", publicURL: String? = nil, metricsToken: String? = nil,
        countAPICall: (@Sendable (OrganizationID) -> Void)? = nil
    ) {
        self.accessTokens = accessTokens
        self.apiKeys = apiKeys
        self.revocation = revocation
        self.metricsRegistry = metricsRegistry
        self.readiness = readiness
        self.rateLimiter = rateLimiter
        self.rateLimit = rateLimit
        self.jsonContentTypeExemptPathPrefixes = jsonContentTypeExemptPathPrefixes
        self.sessionCookieName = sessionCookieName
        self.accessLogLevel = accessLogLevel
        self.version = version
        self.publicURL = publicURL
        self.metricsToken = metricsToken
        self.countAPICall = countAPICall
    }
}
