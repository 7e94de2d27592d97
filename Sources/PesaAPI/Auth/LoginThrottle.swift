import PesaCore
import Synchronization

/// Throttles failed logins, in memory and bounded, so that failures from one place never lock the right
/// password out from another:
///
/// | bucket of failures | when it is empty |
/// |---|---|
/// | per email **and** client address | that address gets 429 `RATE_LIMITED` for that email |
/// | per client address (all emails) | that address gets 429 for every email |
/// | per email (all addresses) | every attempt on the email waits `slowdownDelayMs` first, and goes on |
///
/// Successful logins have a bucket per user too: past it, the right password gets 429 and no token.
/// A refused attempt answers 429 with `Retry-After` and the empty bucket's `RateLimit-*` headers, whether or
/// not the password would be right. A success clears the failures of its email and address. Without a known
/// address (no peer address), the pair is keyed by the email alone.
public final class LoginThrottle: Sendable {
    public struct Policy: Sendable {
        public var burstCount: Int64
        public var refillPerMinute: Int64

        public init(burstCount: Int64, refillPerMinute: Int64) {
            self.burstCount = burstCount
            self.refillPerMinute = refillPerMinute
        }

        public static let perEmailAndAddress = Policy(
            burstCount: Limits.loginFailuresPerEmailAndAddressBurstCount,
            refillPerMinute: Limits.loginFailuresPerEmailAndAddressRefillPerMinute)
        public static let perAddress = Policy(
            burstCount: Limits.loginFailuresPerAddressBurstCount,
            refillPerMinute: Limits.loginFailuresPerAddressRefillPerMinute)
        public static let perEmail = Policy(
            burstCount: Limits.loginFailuresPerEmailBurstCount,
            refillPerMinute: Limits.loginFailuresPerEmailRefillPerMinute)
        public static let successesPerUser = Policy(
            burstCount: Limits.loginSuccessesPerUserBurstCount,
            refillPerMinute: Limits.loginSuccessesPerUserRefillPerMinute)
    }

    struct Tables {
        var pairs: BucketTable
        var addresses: BucketTable
        var emails: BucketTable
        var successes: BucketTable
    }

    private let tables: Mutex<Tables>
    let perEmailAndAddress: Policy
    let perAddress: Policy
    let perEmail: Policy
    let successesPerUser: Policy
    let slowdownDelayMs: Int64
    let clock: APIClock

    public init(
        perEmailAndAddress: Policy = .perEmailAndAddress, perAddress: Policy = .perAddress,
        perEmail: Policy = .perEmail, successesPerUser: Policy = .successesPerUser,
        slowdownDelayMs: Int64? = nil, entriesCountMax: Int? = nil, clock: APIClock = .system
    ) {
        let countMax = entriesCountMax ?? Limits.throttleEntriesCountMax
        self.tables = Mutex(
            Tables(
                pairs: BucketTable(countMax: countMax), addresses: BucketTable(countMax: countMax),
                emails: BucketTable(countMax: countMax), successes: BucketTable(countMax: countMax)))
        self.perEmailAndAddress = perEmailAndAddress
        self.perAddress = perAddress
        self.perEmail = perEmail
        self.successesPerUser = successesPerUser
        self.slowdownDelayMs = slowdownDelayMs ?? Limits.loginSlowdownDelayMs
        self.clock = clock
    }

    /// 429 if this email from this address, or this address, has used up its failures (the longer wait when
    /// both have). Otherwise the milliseconds to wait before checking the password: `slowdownDelayMs` while
    /// the email's failures from all addresses are used up, else 0. Call before checking the password.
    public func check(email: String, address: String?) throws(APIError) -> Int64 {
        let nowMs = clock.nowMs()
        let (refusal, slowed) = tables.withLock { tables in
            let byPair = Self.refusal(tables.pairs.bucket(Self.pairKey(email, address)), nowMs: nowMs)
            let byAddress = address.flatMap { Self.refusal(tables.addresses.bucket($0), nowMs: nowMs) }
            let refusal = [byPair, byAddress].compactMap { $0 }.max {
                ($0.retryAfterMs ?? 0) < ($1.retryAfterMs ?? 0)
            }
            return (refusal, Self.refusal(tables.emails.bucket(Self.key(email)), nowMs: nowMs) != nil)
        }
        try refusal?.check()
        return slowed ? slowdownDelayMs : 0
    }

    public func recordFailure(email: String, address: String?) {
        let nowMs = clock.nowMs()
        let (perPair, perAddress, perEmail) = (perEmailAndAddress, self.perAddress, self.perEmail)
        tables.withLock { tables in
            Self.take(&tables.pairs, Self.pairKey(email, address), perPair, nowMs)
            Self.take(&tables.emails, Self.key(email), perEmail, nowMs)
            if let address { Self.take(&tables.addresses, address, perAddress, nowMs) }
        }
    }

    /// The right password: the failures of this email from this address are forgotten. Those from other
    /// addresses, and the email's total, stay.
    public func recordSuccess(email: String, address: String?) {
        tables.withLock { $0.pairs.remove(Self.pairKey(email, address)) }
    }

    /// A successful login of `user` (its id): 429 with `Retry-After` and the bucket's `RateLimit-*` headers
    /// when the user has used up its logins, and then it takes none.
    public func admitSuccess(user: String) throws(APIError) {
        let nowMs = clock.nowMs()
        let policy = successesPerUser
        let refusal = tables.withLock { tables -> RateLimitStatus? in
            tables.successes.withBucket(user, nowMs: nowMs, make: { Self.bucket(policy, nowMs) }) { bucket in
                if let refusal = Self.refusal(bucket, nowMs: nowMs) { return refusal }
                _ = bucket.take(nowMs: nowMs)
                return nil
            }
        }
        try refusal?.check()
    }

    static func take(_ table: inout BucketTable, _ key: String, _ policy: Policy, _ nowMs: Int64) {
        _ = table.withBucket(key, nowMs: nowMs, make: { bucket(policy, nowMs) }) { $0.take(nowMs: nowMs) }
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

    /// An email and an address in one key (an address holds no space; an email may, so it comes last).
    static func pairKey(_ email: String, _ address: String?) -> String { (address ?? "") + " " + key(email) }
}
