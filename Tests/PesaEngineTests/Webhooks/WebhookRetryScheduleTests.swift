import PesaEngine
import Testing

/// When webhook deliveries are tried again, and how `Retry-After` is read.
@Suite struct WebhookRetryScheduleTests {
    static let nowMs: Int64 = 1_700_000_000_000

    @Test func attemptsFollowTheScheduleThenStop() {
        let expected: [Int64] = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]
        for (made, delay) in expected.enumerated() {
            let next = WebhookRetrySchedule.nextAttemptAtMs(attemptsMade: made, nowMs: Self.nowMs, retryAfterMs: nil)
            #expect(next == Self.nowMs + delay, "after \(made) attempts")
        }
        #expect(WebhookRetrySchedule.nextAttemptAtMs(attemptsMade: 8, nowMs: Self.nowMs, retryAfterMs: nil) == nil)
        #expect(WebhookRetrySchedule.nextAttemptAtMs(attemptsMade: 100, nowMs: Self.nowMs, retryAfterMs: nil) == nil)
        #expect(WebhookRetrySchedule.nextAttemptAtMs(attemptsMade: -1, nowMs: Self.nowMs, retryAfterMs: nil) == nil)
    }

    @Test func longerRetryAfterWinsUpToADay() {
        func next(_ made: Int, _ retryAfterMs: Int64?) -> Int64? {
            WebhookRetrySchedule.nextAttemptAtMs(attemptsMade: made, nowMs: Self.nowMs, retryAfterMs: retryAfterMs)
        }
        #expect(next(1, 60_000) == Self.nowMs + 60_000)  // more than the 5 s scheduled
        #expect(next(2, 60_000) == Self.nowMs + 300_000)  // less than the 5 min scheduled
        #expect(next(1, 90_000_000_000) == Self.nowMs + 86_400_000)  // capped at 24 h
        #expect(next(1, -5) == Self.nowMs + 5_000)
        #expect(next(8, 60_000) == nil)  // an exhausted schedule stays exhausted
    }

    @Test func retryAfterReadsDeltaSeconds() {
        #expect(WebhookRetrySchedule.retryAfterMs("120", nowMs: Self.nowMs) == 120_000)
        #expect(WebhookRetrySchedule.retryAfterMs(" 0 ", nowMs: Self.nowMs) == 0)
        #expect(WebhookRetrySchedule.retryAfterMs("99999999999999999999", nowMs: Self.nowMs) == 86_400_000)
        for text in ["", "-1", "1.5", "+3", "soon", "12 s"] {
            #expect(WebhookRetrySchedule.retryAfterMs(text, nowMs: Self.nowMs) == nil, "\(text)")
        }
    }

    @Test func retryAfterReadsTheThreeHTTPDateForms() {
        // 1994-11-06 08:49:37 UTC, and 90 seconds before it.
        let dateMs: Int64 = 784_111_777_000
        let now = dateMs - 90_000
        for text in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            #expect(WebhookRetrySchedule.retryAfterMs(text, nowMs: now) == 90_000, "\(text)")
        }
        // A date in the past asks for no wait.
        #expect(WebhookRetrySchedule.retryAfterMs("Sun, 06 Nov 1994 08:49:37 GMT", nowMs: dateMs + 1) == 0)
        // The current one.
        let later = WebhookRetrySchedule.retryAfterMs("Wed, 15 Nov 2023 00:00:00 GMT", nowMs: Self.nowMs)
        #expect(later == 1_700_006_400_000 - Self.nowMs)
    }

    @Test func malformedDatesAreNotRead() {
        for text in [
            "Sun, 06 Nov 1994 08:49:37 CET", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 8:49 GMT",
            "06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT",
        ] {
            #expect(WebhookRetrySchedule.retryAfterMs(text, nowMs: Self.nowMs) == nil, "\(text)")
        }
    }
}
