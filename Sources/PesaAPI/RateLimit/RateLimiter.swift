public import PesaCore
import Synchronization

/// Request rate limits over PesaCore's `TokenBucket`, in memory and bounded: one bucket per organization and
/// one per API key that has its own limit. A request takes one token from each of its buckets or from none:
/// when one refuses, the others keep their tokens (a key refused by its own limit costs its organization
/// nothing, and an organization out of tokens costs the key nothing). A bucket is made again when its limit
/// changes (plan change, override).
public final class RateLimiter: Sendable {
    /// One bucket a request takes a token from: its name in the table and its limit.
    public struct Bucket: Sendable, Equatable {
        public let key: String
        public let limit: RateLimit

        public init(key: String, limit: RateLimit) {
            self.key = key
            self.limit = limit
        }

        /// An organization's bucket (its id: `org_…`).
        public static func organization(_ id: OrganizationID, _ limit: RateLimit) -> Bucket {
            Bucket(key: id.rawValue, limit: limit)
        }

        /// An API key's own bucket (its id: `key_…`, never an organization's).
        public static func apiKey(_ id: APIKeyID, _ limit: RateLimit) -> Bucket {
            Bucket(key: id.rawValue, limit: limit)
        }
    }

    private let table: Mutex<BucketTable>
    let clock: APIClock

    /// `entriesCountMax` defaults to `Limits.throttleEntriesCountMax`.
    public init(entriesCountMax: Int? = nil, clock: APIClock = .system) {
        self.table = Mutex(BucketTable(countMax: entriesCountMax ?? Limits.throttleEntriesCountMax))
        self.clock = clock
    }

    /// Takes one request from `organization`'s allowance of `ratePerMinute` (a burst of a minute's worth).
    public func take(for organization: OrganizationID, ratePerMinute: Int64) -> RateLimitStatus {
        take([.organization(organization, RateLimit(perMinute: ratePerMinute))])
    }

    /// Takes one token from every bucket of `buckets`, or, when any refuses, from none. Allowed: the status of
    /// the tightest bucket (fewest remaining, then the smaller limit). Refused: the refusing bucket that asks
    /// the longest wait, so that a retry after `Retry-After` finds every bucket with a token again.
    public func take(_ buckets: [Bucket]) -> RateLimitStatus {
        precondition(!buckets.isEmpty, "a request takes from at least one bucket")
        let nowMs = clock.nowMs()
        return table.withLock { table in
            var taken: [(String, TokenBucket)] = []
            var allowed: [RateLimitStatus] = []
            var refused: RateLimitStatus?
            for spec in buckets {
                let fresh = TokenBucket(
                    capacity: spec.limit.capacity, refillPerMinute: spec.limit.perMinute, nowMs: nowMs)
                var bucket = table.bucket(spec.key).flatMap {
                    $0.capacity == fresh.capacity && $0.refillPerMinute == fresh.refillPerMinute ? $0 : nil
                } ?? fresh
                let decision = bucket.take(nowMs: nowMs)
                let resetSeconds = (bucket.msUntilFull(nowMs: nowMs) + 999) / 1000
                switch decision {
                case .allowed(let remaining):
                    taken.append((spec.key, bucket))
                    allowed.append(RateLimitStatus(
                        limit: bucket.capacity, remaining: remaining, resetSeconds: resetSeconds, retryAfterMs: nil))
                case .limited(let retryAfterMs):
                    if retryAfterMs > refused?.retryAfterMs ?? 0 {
                        refused = RateLimitStatus(
                            limit: bucket.capacity, remaining: 0, resetSeconds: resetSeconds,
                            retryAfterMs: retryAfterMs)
                    }
                }
            }
            if let refused { return refused }
            for (key, bucket) in taken { table.store(key, bucket, nowMs: nowMs) }
            return allowed.min { ($0.remaining, $0.limit) < ($1.remaining, $1.limit) } ?? allowed[0]
        }
    }
}
