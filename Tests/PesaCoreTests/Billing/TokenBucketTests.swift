import PesaCore
import Testing

@Suite struct TokenBucketTests {
    @Test func burstThenLimited() {
        var bucket = TokenBucket(ratePerMinute: 60, nowMs: 0)
        for expected in stride(from: Int64(59), through: 0, by: -1) {
            #expect(bucket.take(nowMs: 0) == .allowed(remaining: expected))
        }
        #expect(bucket.take(nowMs: 0) == .limited(retryAfterMs: 1000))
        #expect(bucket.take(nowMs: 999) == .limited(retryAfterMs: 1))
        #expect(bucket.take(nowMs: 1000) == .allowed(remaining: 0))
    }

    @Test func refillsExactlyAndCapsAtCapacity() {
        var bucket = TokenBucket(capacity: 10, refillPerMinute: 600, nowMs: 1_000)
        #expect(bucket.take(10, nowMs: 1_000) == .allowed(remaining: 0))
        #expect(bucket.remaining(nowMs: 1_100) == 1)
        #expect(bucket.remaining(nowMs: 1_000_000) == 10)
        #expect(bucket.msUntilFull(nowMs: 1_000) == 1_000)
    }

    @Test func clockGoingBackwardsRefillsNothing() {
        var bucket = TokenBucket(capacity: 1, refillPerMinute: 1, nowMs: 10_000)
        #expect(bucket.take(nowMs: 10_000) == .allowed(remaining: 0))
        #expect(bucket.take(nowMs: 0) == .limited(retryAfterMs: 60_000))
    }

    @Test func moreThanCapacityIsNeverAllowed() {
        var bucket = TokenBucket(capacity: 5, refillPerMinute: 60, nowMs: 0)
        if case .allowed = bucket.take(6, nowMs: 1_000_000) { Issue.record("took more than capacity") }
    }

    @Test func hugeGapsDoNotOverflow() {
        var bucket = TokenBucket(capacity: 1_000_000, refillPerMinute: 1_000_000, nowMs: .min)
        #expect(bucket.take(2, nowMs: .min + 1) == .allowed(remaining: 999_998))
        #expect(bucket.take(nowMs: .max) == .allowed(remaining: 999_999))
    }
}
