import Hummingbird
import PesaAPI
import PesaCore
import Testing

@Suite struct LoginThrottleTests {
    let clock = ManualClock()

    func throttle(entries: Int? = nil, perEmail: Int64 = 100) -> LoginThrottle {
        LoginThrottle(
            perEmailAndAddress: .init(burstCount: 3, refillPerMinute: 1),
            perAddress: .init(burstCount: 5, refillPerMinute: 1),
            perEmail: .init(burstCount: perEmail, refillPerMinute: 1),
            slowdownDelayMs: 700, entriesCountMax: entries, clock: clock.clock)
    }

    @Test func failuresBeyondTheBurstAre429WithRetryAfter() throws {
        let throttle = throttle()
        for _ in 0..<3 {
            #expect(try throttle.check(email: "a@x.co", address: nil) == 0)
            throttle.recordFailure(email: "a@x.co", address: nil)
        }
        do {
            _ = try throttle.check(email: " A@X.CO ", address: nil)
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
        #expect(try throttle.check(email: "b@x.co", address: nil) == 0)  // other emails are not affected
        clock.advance(ms: 60_000)
        #expect(try throttle.check(email: "a@x.co", address: nil) == 0)  // one more attempt a minute later
    }

    @Test func successClearsTheFailuresOfItsAddressOnly() throws {
        let throttle = throttle()
        for address in ["10.0.0.1", "10.0.0.2"] {
            for _ in 0..<3 { throttle.recordFailure(email: "a@x.co", address: address) }
        }
        #expect(throws: APIError.self) { try throttle.check(email: "a@x.co", address: "10.0.0.1") }
        throttle.recordSuccess(email: "a@x.co", address: "10.0.0.1")
        #expect(try throttle.check(email: "a@x.co", address: "10.0.0.1") == 0)
        #expect(throws: APIError.self) { try throttle.check(email: "a@x.co", address: "10.0.0.2") }
    }

    @Test func failuresFromOneAddressNeverRefuseTheEmailFromAnother() throws {
        let throttle = throttle()
        for _ in 0..<50 { throttle.recordFailure(email: "root@x.co", address: "203.0.113.7") }
        let refused = #expect(throws: APIError.self) { try throttle.check(email: "root@x.co", address: "203.0.113.7") }
        #expect(refused?.code == .rateLimited)
        #expect(try throttle.check(email: "root@x.co", address: "10.0.0.9") == 0)
    }

    /// Failures from every address together only slow the email down: each attempt waits, none is refused.
    @Test func theEmailsCeilingAcrossAddressesSlowsAndNeverRefuses() throws {
        let throttle = throttle(perEmail: 4)
        for index in 0..<4 { throttle.recordFailure(email: "root@x.co", address: "203.0.113.\(index)") }
        #expect(try throttle.check(email: "root@x.co", address: "10.0.0.9") == 700)
        #expect(try throttle.check(email: "other@x.co", address: "10.0.0.9") == 0)
        clock.advance(ms: 60_000)
        #expect(try throttle.check(email: "root@x.co", address: "10.0.0.9") == 0)
    }

    @Test func oneAddressTryingManyEmailsIsThrottled() throws {
        let throttle = throttle()
        for index in 0..<5 { throttle.recordFailure(email: "user\(index)@x.co", address: "10.0.0.1") }
        let refused = #expect(throws: APIError.self) { try throttle.check(email: "fresh@x.co", address: "10.0.0.1") }
        #expect(refused?.headers[.rateLimitLimit] == "5")
        #expect(try throttle.check(email: "fresh@x.co", address: "10.0.0.2") == 0)
    }

    @Test func memoryStaysBounded() throws {
        let throttle = throttle(entries: 10)
        for index in 0..<1000 { throttle.recordFailure(email: "user\(index)@x.co", address: nil) }
        // The newest entries are kept and still throttle.
        for _ in 0..<2 { throttle.recordFailure(email: "user999@x.co", address: nil) }
        #expect(throws: APIError.self) { try throttle.check(email: "user999@x.co", address: nil) }
    }
}

extension LoginThrottleTests {
    @Test func aUsersSuccessfulLoginsBeyondTheLimitAre429() throws {
        let throttle = LoginThrottle(successesPerUser: .init(burstCount: 3, refillPerMinute: 30), clock: clock.clock)
        for _ in 0..<3 { try throttle.admitSuccess(user: "usr_a") }
        let refused = #expect(throws: APIError.self) { try throttle.admitSuccess(user: "usr_a") }
        #expect(refused?.code == .rateLimited)
        #expect(refused?.headers[.retryAfter] == "2")
        #expect(refused?.headers[.rateLimitLimit] == "3")
        try throttle.admitSuccess(user: "usr_b")  // another user is not affected
        clock.advance(ms: 2_000)
        try throttle.admitSuccess(user: "usr_a")
        #expect(throws: APIError.self) { try throttle.admitSuccess(user: "usr_a") }
    }
}
