public import Hummingbird
public import Logging
import PesaCore
public import PesaEngine
public import Prometheus

/// The whole gateway API over a running `Gateway`: configuration, auth wired to the engine, every route.
public struct GatewayAPI: Sendable {
    public let gateway: Gateway
    public let accessTokens: AccessTokens
    public let passwordHasher: PasswordHasher
    public let configuration: APIConfiguration
    /// First answers holding a secret, for retries (`SecretAnswers`): one per API, shared by its routers.
    let secretAnswers = SecretAnswers()
    /// Failed logins, shared by `POST /v1/auth/login` and the dashboard's login form.
    let loginThrottle = LoginThrottle()
    /// The dashboard's browser sessions (`DashboardSessions`).
    public let dashboardSessions: DashboardSessions

    /// `bcryptCost`: lower only in tests. The JWT key is derived from the master key, so restarts keep sessions.
    /// `metricsToken` (`PESA_METRICS_TOKEN`): a bearer token that may read `GET /metrics` besides super admins.
    /// `rateLimitClock`: the rate limiter's time (tests move it). `meteringAndRateLimits` false: no request is
    /// rate limited or counted as an API call (only the benchmark's baseline arm turns them off, to measure what
    /// they cost). `dashboardClock`: the time of the dashboard's session expiry (tests move it).
    public static func make(
        gateway: Gateway, metricsRegistry: PrometheusCollectorRegistry, bcryptCost: Int? = nil,
        metricsToken: String? = nil, rateLimitClock: APIClock = .system, meteringAndRateLimits: Bool = true,
        dashboardClock: APIClock = .system
    ) async -> GatewayAPI {
        let accessTokens = await AccessTokens(signingKey: gateway.jwtSigningKey())
        let directory = GatewayAuthDirectory(gateway: gateway)
        let rateLimit: @Sendable (OrganizationID) async throws -> RateLimit? = { organization in
            try await gateway.rateLimit(of: organization)
        }
        let countAPICall: @Sendable (OrganizationID) -> Void = { organization in
            gateway.apiCalls.count(organization, nowMs: gateway.wallClockMs)
        }
        var configuration = APIConfiguration(
            accessTokens: accessTokens, apiKeys: directory, revocation: directory, metricsRegistry: metricsRegistry,
            readiness: { await gateway.readiness() }, rateLimiter: RateLimiter(clock: rateLimitClock),
            rateLimit: meteringAndRateLimits ? rateLimit : nil,
            jsonContentTypeExemptPathPrefixes: ["/ui/", "/callbacks/"], publicURL: gateway.payments.publicURL,
            metricsToken: metricsToken, countAPICall: meteringAndRateLimits ? countAPICall : nil)
        configuration.billingWarning = { organization in await gateway.billingWarning(of: organization) }
        configuration.sessionCookieName = DashboardController.sessionCookieName
        return GatewayAPI(
            gateway: gateway, accessTokens: accessTokens, passwordHasher: PasswordHasher(cost: bcryptCost),
            configuration: configuration, dashboardSessions: DashboardSessions(clock: dashboardClock))
    }

    /// Every route of the contract built so far.
    public func addRoutes(to routes: APIRoutes) {
        let login = LoginController(
            accessTokens: accessTokens, passwordHasher: passwordHasher, throttle: loginThrottle,
            directory: GatewayAuthDirectory(gateway: gateway))
        login.addRoutes(to: routes)
        OrganizationsController(gateway: gateway).addRoutes(to: routes)
        UsersController(gateway: gateway, passwordHasher: passwordHasher).addRoutes(to: routes)
        APIKeysController(gateway: gateway, firstAnswers: secretAnswers).addRoutes(to: routes)
        CredentialsController(gateway: gateway).addRoutes(to: routes)
        ShortCodesController(gateway: gateway).addRoutes(to: routes)
        UsageController(gateway: gateway).addRoutes(to: routes)
        SubscriptionController(gateway: gateway).addRoutes(to: routes)
        InvoicesController(gateway: gateway).addRoutes(to: routes)
        BillingAdminController(gateway: gateway).addRoutes(to: routes)
        PlansController(gateway: gateway).addRoutes(to: routes)
        AuditController(gateway: gateway).addRoutes(to: routes)
        UnmatchedCallbacksController(gateway: gateway).addRoutes(to: routes)
        PaymentsController(gateway: gateway).addRoutes(to: routes)
        ReportsController(gateway: gateway).addRoutes(to: routes)
        PayoutsController(gateway: gateway).addRoutes(to: routes)
        PayoutBatchesController(gateway: gateway).addRoutes(to: routes)
        WebhooksController(gateway: gateway).addRoutes(to: routes)
        QueriesController(gateway: gateway).addRoutes(to: routes)
        C2BValidationController(gateway: gateway).addRoutes(to: routes)
        C2BSimulateController(gateway: gateway).addRoutes(to: routes)
        CallbacksController(gateway: gateway).addRoutes(to: routes)
        // The dashboard's pages are no routes of the JSON API (not in the OpenAPI document): on the router itself.
        DashboardController(
            gateway: gateway, login: login, sessions: dashboardSessions,
            directory: GatewayAuthDirectory(gateway: gateway),
            publicURLIsHTTPS: configuration.publicURL?.lowercased().hasPrefix("https://") ?? false,
            apiVersion: configuration.version
        ).addRoutes(to: routes.router)
        // The batch upload form carries a CSV as large as the API's batch upload takes.
        routes.bodyLimits.set(DashboardController.batchFormBytesMax, forRoute: "POST /ui/batches/new")
        routes.bodyLimits.set(
            DashboardController.c2bValidationFormBytesMax, forRoute: "POST /ui/settings/c2b-validation")
    }

    public func buildRouter() -> Router<PesaRequestContext> {
        PesaAPI.buildRouter(configuration: configuration, addRoutes: addRoutes)
    }

    public func buildApplication(serverConfiguration: ApplicationConfiguration, logger: Logger)
        -> Application<RouterResponder<PesaRequestContext>>
    {
        PesaAPI.buildApplication(
            configuration: configuration, serverConfiguration: serverConfiguration, logger: logger, addRoutes: addRoutes
        )
    }
}

/// The webhook body renderer of the API: events carry the objects as their routes show them.
public func apiWebhookRenderer(settings: PaymentSettings) -> any WebhookRendering {
    APIWebhookRenderer(settings: settings)
}
