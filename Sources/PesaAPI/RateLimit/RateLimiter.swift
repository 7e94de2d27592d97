public import PesaCore
import Synchronization

/// Per-organization request rate limits over PesaCore's `TokenBucket`, in memory and bounded. A bucket is
/// made again when the organization's rate changes (plan change or override).
public final class RateLimiter: Sendable {
    private let table: Mutex<BucketTable>
    let clock: APIClock

    /// `entriesCountMax` defaults to `Limits.throttleEntriesCountMax`.
    public init(entriesCountMax: Int? = nil, clock: APIClock = .system) {
        self.table = Mutex(BucketTable(countMax: entriesCountMax ?? Limits.throttleEntriesCountMax))
        self.clock = clock
    }

    /// Takes one request from `organization`'s allowance of `ratePerMinute`.
    public func take(for organization: OrganizationID, ratePerMinute: Int64) -> RateLimitStatus {
        let nowMs = clock.nowMs()
        return table.withLock { table in
            table.withBucket(
                organization.rawValue, nowMs: nowMs,
                make: { TokenBucket(ratePerMinute: ratePerMinute, nowMs: nowMs) },
                isStale: { $0.refillPerMinute != min(max(ratePerMinute, 1), Limits.rateLimitPerMinuteMax) }
            ) { bucket in
                let decision = bucket.take(nowMs: nowMs)
                let resetSeconds = (bucket.msUntilFull(nowMs: nowMs) + 999) / 1000
                switch decision {
                case .allowed(let remaining):
                    return RateLimitStatus(
                        limit: bucket.capacity, remaining: remaining, resetSeconds: resetSeconds, retryAfterMs: nil)
                case .limited(let retryAfterMs):
                    return RateLimitStatus(
                        limit: bucket.capacity, remaining: 0, resetSeconds: resetSeconds, retryAfterMs: retryAfterMs)
                }
            }
        }
    }
}
