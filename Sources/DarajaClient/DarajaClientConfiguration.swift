/// Everything one client needs: one client per (tenant, environment).
public struct DarajaClientConfiguration: Sendable {
    public var environment: DarajaEnvironment
    public var consumerKey: String
    public var consumerSecret: DarajaSecret
    /// Deadline of one HTTP exchange with Daraja.
    public var requestTimeoutMs: Int64
    /// Retries of a query (token, STK query, balance, transaction status) after a network error, 5xx or 429.
    public var queryRetryCountMax: Int
    /// First backoff between query retries; doubles each time, with jitter, up to `retryBackoffMaxMs`.
    public var retryBackoffBaseMs: Int64
    public var retryBackoffMaxMs: Int64
    /// The token is refreshed this long before Daraja's `expires_in` runs out.
    public var tokenRefreshMarginSeconds: Int64
    /// Largest answer body read from Daraja.
    public var responseBodyBytesMax: Int

    public init(
        environment: DarajaEnvironment, consumerKey: String, consumerSecret: DarajaSecret,
        requestTimeoutMs: Int64 = 30_000, queryRetryCountMax: Int = 3, retryBackoffBaseMs: Int64 = 200,
        retryBackoffMaxMs: Int64 = 5_000, tokenRefreshMarginSeconds: Int64 = 60, responseBodyBytesMax: Int = 1 << 20
    ) {
        self.environment = environment
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.requestTimeoutMs = requestTimeoutMs
        self.queryRetryCountMax = queryRetryCountMax
        self.retryBackoffBaseMs = retryBackoffBaseMs
        self.retryBackoffMaxMs = retryBackoffMaxMs
        self.tokenRefreshMarginSeconds = tokenRefreshMarginSeconds
        self.responseBodyBytesMax = responseBodyBytesMax
    }
}
