/// What came of one webhook POST: the endpoint's status code and the start of its answer, or why there was none.
/// A failure to connect, a TLS failure or a timeout is `error` with no status code; it is never thrown.
public struct WebhookResponse: Sendable, Equatable {
    /// The longest part of an answer's body kept, in bytes; the rest is not read.
    public static let bodyPrefixBytesMax = 4096

    /// The HTTP status of the answer; nil when none came.
    public var statusCode: Int?
    /// From the start of the attempt to the answer's head (or to the failure).
    public var latencyMs: Int64
    /// Why no answer came (connection refused, timed out, TLS failure, …); nil when one did.
    public var error: String?
    /// The answer's `Retry-After` header, as sent (`WebhookRetrySchedule.retryAfterMs` reads it).
    public var retryAfter: String?
    /// The first `bodyPrefixBytesMax` bytes of the answer's body, as UTF-8 (invalid bytes replaced).
    public var bodyPrefix: String

    public init(statusCode: Int?, latencyMs: Int64, error: String?, retryAfter: String?, bodyPrefix: String) {
        self.statusCode = statusCode
        self.latencyMs = latencyMs
        self.error = error
        self.retryAfter = retryAfter
        self.bodyPrefix = bodyPrefix
    }

    /// Whether the endpoint took the delivery: a 2xx answer.
    public var isSuccess: Bool { statusCode.map { (200...299).contains($0) } ?? false }
}
