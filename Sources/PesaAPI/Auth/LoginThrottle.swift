import PesaCore
import Synchronization

/// Throttles failed logins, in memory and bounded: each email (and each client address, when known) has a
/// token bucket of failures. While either is empty, login answers 429 `RATE_LIMITED` with `Retry-After` and the
/// empty bucket's `RateLimit-*` headers, whether or not the password would be right. A success clears the
/// email's failures.
public final class LoginThrottle: Sendable {
    public struct Policy: Sendable {
        public var burstCount: Int64
        public var refillPerMinute: Int64

        public init(burstCount: Int64, refillPerMinute: Int64) {
            self.burstCount = burstCount
            self.refillPerMinute = refillPerMinute
        }

        public static let perEmail = Policy(
            burstCount: Limits.loginFailuresPerEmailBurstCount,
            refillPerMinute: Limits.loginFailuresPerEmailRefillPerMinute)
        public static let perAddress = Policy(
            burstCount: Limits.loginFailuresPerAddressBurstCount,
            refillPerMinute: Limits.loginFailuresPerAddressRefillPerMinute)
    }

    private let tables: Mutex<(emails: BucketTable, addresses: BucketTable)>
    let perEmail: Policy
    let perAddress: Policy
    let clock: APIClock

    public init(
        perEmail: Policy = .perEmail, perAddress: Policy = .perAddress, entriesCountMax: Int? = nil,
        clock: APIClock = .system
    ) {
        let countMax = entriesCountMax ?? Limits.throttleEntriesCountMax
        self.tables = Mutex((BucketTable(countMax: countMax), BucketTable(countMax: countMax)))
        self.perEmail = perEmail
        self.perAddress = perAddress
        self.clock = clock
    }

    /// 429 if `email` or `address` has used up its failures (the longer wait when both have). Call before
    /// checking the password.
    public func check(email: String, address: String?) throws(APIError) {
        let nowMs = clock.nowMs()
        let refusal = tables.withLock { tables in
            let byEmail = Self.refusal(tables.emails.bucket(Self.key(email)), nowMs: nowMs)
            let byAddress = address.flatMap { Self.refusal(tables.addresses.bucket($0), nowMs: nowMs) }
            return [byEmail, byAddress].compactMap { $0 }.max { ($0.retryAfterMs ?? 0) < ($1.retryAfterMs ?? 0) }
        }
        try refusal?.check()
    }

    public func recordFailure(email: String, address: String?) {
        let nowMs = clock.nowMs()
        let (perEmail, perAddress) = (self.perEmail, self.perAddress)
        tables.withLock { tables in
            _ = tables.emails.withBucket(Self.key(email), nowMs: nowMs, make: { Self.bucket(perEmail, nowMs) }) {
                $0.take(nowMs: nowMs)
            }
            if let address {
                _ = tables.addresses.withBucket(address, nowMs: nowMs, make: { Self.bucket(perAddress, nowMs) }) {
                    $0.take(nowMs: nowMs)
                }
            }
        }
    }

    public func recordSuccess(email: String) {
        tables.withLock { $0.emails.remove(Self.key(email)) }
    }

    /// The refusal a bucket gives (with the wait until one more attempt is allowed), or nil when it allows one
    /// now. The bucket itself is not changed.
    static func refusal(_ bucket: TokenBucket?, nowMs: Int64) -> RateLimitStatus? {
        guard var bucket else { return nil }
        switch bucket.take(nowMs: nowMs) {
        case .allowed: return nil
        case .limited(let retryAfterMs):
            return RateLimitStatus(
                limit: bucket.capacity, remaining: 0, resetSeconds: (bucket.msUntilFull(nowMs: nowMs) + 999) / 1000,
                retryAfterMs: retryAfterMs)
        }
    }

    static func bucket(_ policy: Policy, _ nowMs: Int64) -> TokenBucket {
        TokenBucket(capacity: policy.burstCount, refillPerMinute: policy.refillPerMinute, nowMs: nowMs)
    }

    static func key(_ email: String) -> String { email.trimmingSpaces().lowercased() }
}
