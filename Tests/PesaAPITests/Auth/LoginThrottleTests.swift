import Hummingbird
import PesaAPI
import PesaCore
import Testing

@Suite struct LoginThrottleTests {
    let clock = ManualClock()

    func throttle(entries: Int? = nil) -> LoginThrottle {
        LoginThrottle(
            perEmail: .init(burstCount: 3, refillPerMinute: 1), perAddress: .init(burstCount: 5, refillPerMinute: 1),
            entriesCountMax: entries, clock: clock.clock)
    }

    @Test func failuresBeyondTheBurstAre429WithRetryAfter() throws {
        let throttle = throttle()
        for _ in 0..<3 {
            try throttle.check(email: "a@x.co", address: nil)
            throttle.recordFailure(email: "a@x.co", address: nil)
        }
        do {
            try throttle.check(email: " A@X.CO ", address: nil)
            Issue.record("not throttled")
        } catch {
            #expect(error.code == .rateLimited)
            #expect(error.status == .tooManyRequests)
            #expect(error.headers[.retryAfter] == "60")
            #expect(error.code.type == .rateLimit)
            // The email's bucket: 3 failures, none left, full again in 3 minutes.
            #expect(error.headers[.rateLimitLimit] == "3")
            #expect(error.headers[.rateLimitRemaining] == "0")
            #expect(error.headers[.rateLimitReset] == "180")
        }
        try throttle.check(email: "b@x.co", address: nil)  // other emails are not affected
        clock.advance(ms: 60_000)
        try throttle.check(email: "a@x.co", address: nil)  // one more attempt a minute later
    }

    @Test func successClearsTheEmailsFailures() throws {
        let throttle = throttle()
        for _ in 0..<3 { throttle.recordFailure(email: "a@x.co", address: nil) }
        #expect(throws: APIError.self) { try throttle.check(email: "a@x.co", address: nil) }
        throttle.recordSuccess(email: "a@x.co")
        try throttle.check(email: "a@x.co", address: nil)
    }

    @Test func oneAddressTryingManyEmailsIsThrottled() throws {
        let throttle = throttle()
        for index in 0..<5 { throttle.recordFailure(email: "user\(index)@x.co", address: "10.0.0.1") }
        let refused = #expect(throws: APIError.self) { try throttle.check(email: "fresh@x.co", address: "10.0.0.1") }
        #expect(refused?.headers[.rateLimitLimit] == "5")
        try throttle.check(email: "fresh@x.co", address: "10.0.0.2")
    }

    @Test func memoryStaysBounded() throws {
        let throttle = throttle(entries: 10)
        for index in 0..<1000 { throttle.recordFailure(email: "user\(index)@x.co", address: nil) }
        // The newest entries are kept and still throttle.
        for _ in 0..<2 { throttle.recordFailure(email: "user999@x.co", address: nil) }
        #expect(throws: APIError.self) { try throttle.check(email: "user999@x.co", address: nil) }
    }
}
