/// Counters a test or a benchmark reads from a running sandbox.
public struct SandboxStatistics: Sendable, Hashable {
    /// `GET /oauth/v1/generate` calls that issued a token.
    public var tokenRequestCount: Int
    /// STK pushes accepted.
    public var stkPushCount: Int
    /// Callbacks answered 2xx by the merchant.
    public var callbacksDelivered: Int
    /// Callbacks that failed (network error, non-2xx).
    public var callbacksFailed: Int
    /// Callbacks dropped because the queue was full.
    public var callbacksDropped: Int
}
