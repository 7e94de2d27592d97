/// A request rate limit: `perMinute` tokens refilled each minute into a bucket of `burst` tokens (nil: a minute's
/// worth). An organization's override (`organization.updated`) and an API key's own limit (`api_key.created`)
/// are journaled in this shape, as `{"per_minute": N, "burst": M}`; a plan carries the same two numbers as
/// `rate_limit_per_minute` and `burst`.
public struct RateLimit: Hashable, Sendable, Codable {
    public var perMinute: Int64
    /// Requests a burst may take at once; nil: `perMinute`, or, in an organization's override, the plan's burst.
    public var burst: Int64?

    public init(perMinute: Int64, burst: Int64? = nil) {
        self.perMinute = perMinute
        self.burst = burst
    }

    /// The bucket's capacity: `burst`, else a minute's worth.
    public var capacity: Int64 { burst ?? perMinute }

    enum CodingKeys: String, CodingKey {
        case burst
        case perMinute = "per_minute"
    }

    /// Why this limit cannot be set (the field under `prefix`, e.g. `rate_limit.per_minute`, and the reason),
    /// nil when it can.
    public func problem(prefix: String = "rate_limit") -> (field: String, message: String)? {
        if !(1...Limits.rateLimitPerMinuteMax).contains(perMinute) {
            return ("\(prefix).per_minute", "\(prefix).per_minute must be 1 to \(Limits.rateLimitPerMinuteMax)")
        }
        if let burst, !(1...Limits.tokenBucketCapacityMax).contains(burst) {
            return ("\(prefix).burst", "\(prefix).burst must be 1 to \(Limits.tokenBucketCapacityMax)")
        }
        return nil
    }

    /// Whether every request this limit lets through, the other lets through as well: neither its rate nor
    /// its burst is higher (both resolved to their capacity).
    public func fits(within other: RateLimit) -> Bool {
        perMinute <= other.perMinute && capacity <= other.capacity
    }
}

extension Plan {
    /// The organization's limit in force, with its burst resolved: the override's rate, else the plan's; the
    /// override's burst, else the plan's, else a minute's worth of the rate in force.
    public func effectiveRateLimit(override: RateLimit?) -> RateLimit {
        let perMinute = override?.perMinute ?? rateLimitPerMinute
        return RateLimit(perMinute: perMinute, burst: override?.burst ?? burst ?? perMinute)
    }
}

extension OrganizationRecord {
    /// The override as one value (nil: the plan's limit applies).
    public var rateLimitOverrideLimit: RateLimit? {
        rateLimitOverride.map { RateLimit(perMinute: $0, burst: rateLimitBurstOverride) }
    }
}
