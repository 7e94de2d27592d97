/// A token bucket in exact integer arithmetic, with time passed in (milliseconds; never read from a clock).
/// Holds up to `capacity` tokens and refills `refillPerMinute` tokens per minute, continuously.
/// Internally a token is 60,000 units, so a millisecond refills exactly `refillPerMinute` units.
public struct TokenBucket: Sendable, Equatable {
    static let unitsPerToken: Int64 = 60_000

    public let capacity: Int64
    public let refillPerMinute: Int64
    private(set) var units: Int64
    private(set) var lastRefillMs: Int64

    public enum Decision: Sendable, Equatable {
        case allowed(remaining: Int64)
        /// Try again after this many milliseconds (at least 1).
        case limited(retryAfterMs: Int64)
    }

    /// A full bucket. Capacity and refill are clamped to 1...limits.
    public init(capacity: Int64, refillPerMinute: Int64, nowMs: Int64) {
        self.capacity = min(max(capacity, 1), Limits.tokenBucketCapacityMax)
        self.refillPerMinute = min(max(refillPerMinute, 1), Limits.rateLimitPerMinuteMax)
        self.units = self.capacity * TokenBucket.unitsPerToken
        self.lastRefillMs = nowMs
    }

    /// A bucket for a rate limit per minute, with a burst of the whole minute's allowance.
    public init(ratePerMinute: Int64, nowMs: Int64) {
        self.init(capacity: ratePerMinute, refillPerMinute: ratePerMinute, nowMs: nowMs)
    }

    /// Whole tokens available at `nowMs`.
    public func remaining(nowMs: Int64) -> Int64 {
        var copy = self
        copy.refill(nowMs: nowMs)
        return copy.units / TokenBucket.unitsPerToken
    }

    /// Milliseconds until the bucket is full again (for `RateLimit-Reset`, rounded up to seconds by the caller).
    public func msUntilFull(nowMs: Int64) -> Int64 {
        var copy = self
        copy.refill(nowMs: nowMs)
        let missing = capacity * TokenBucket.unitsPerToken - copy.units
        return (missing + refillPerMinute - 1) / refillPerMinute
    }

    /// Takes `count` tokens if there are enough, else takes nothing and says when to retry.
    public mutating func take(_ count: Int64 = 1, nowMs: Int64) -> Decision {
        precondition(count >= 1, "take at least one token")
        refill(nowMs: nowMs)
        let needed = min(count, capacity) * TokenBucket.unitsPerToken
        guard count <= capacity, units >= needed else {
            let missing = needed - units
            return .limited(retryAfterMs: max(1, (missing + refillPerMinute - 1) / refillPerMinute))
        }
        units -= needed
        return .allowed(remaining: units / TokenBucket.unitsPerToken)
    }

    /// Time going backwards refills nothing (and does not move the reference back).
    mutating func refill(nowMs: Int64) {
        guard nowMs > lastRefillMs else { return }
        let full = capacity * TokenBucket.unitsPerToken
        let (elapsed, gapOverflow) = nowMs.subtractingReportingOverflow(lastRefillMs)
        let (added, overflow) = elapsed.multipliedReportingOverflow(by: refillPerMinute)
        let (sum, sumOverflow) = units.addingReportingOverflow(added)
        units = gapOverflow || overflow || sumOverflow ? full : min(full, sum)
        lastRefillMs = nowMs
    }
}
