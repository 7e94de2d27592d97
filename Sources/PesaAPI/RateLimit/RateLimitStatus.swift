public import Hummingbird
import HTTPTypes

/// One rate-limit decision and its headers: `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`
/// (seconds until the bucket is full again) and, when refused, `Retry-After`.
public struct RateLimitStatus: Sendable, Equatable {
    public let limit: Int64
    public let remaining: Int64
    public let resetSeconds: Int64
    /// Set when the request is refused.
    public let retryAfterMs: Int64?

    public var isAllowed: Bool { retryAfterMs == nil }

    public var headers: HTTPFields {
        var fields = HTTPFields()
        fields[.rateLimitLimit] = String(limit)
        fields[.rateLimitRemaining] = String(remaining)
        fields[.rateLimitReset] = String(resetSeconds)
        if let retryAfterMs { fields[.retryAfter] = String(max(1, (retryAfterMs + 999) / 1000)) }
        return fields
    }

    /// 429 `RATE_LIMITED` with every header, when refused.
    public func check() throws(APIError) {
        if let retryAfterMs { throw .rateLimited(retryAfterMs: retryAfterMs, headers: headers) }
    }

    /// Adds the headers to an answer.
    public func apply(to response: inout Response) {
        response.headers.append(contentsOf: headers)
    }
}
