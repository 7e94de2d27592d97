import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import Testing

@Suite struct RateLimitTests {
    @Test func limiterCountsDownAndRefuses() throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock.clock)
        let first = limiter.take(for: TestApp.orgA, ratePerMinute: 2)
        #expect(first.isAllowed && first.limit == 2 && first.remaining == 1)
        #expect(first.headers[.rateLimitLimit] == "2")
        #expect(first.headers[.rateLimitRemaining] == "1")
        #expect(first.headers[.rateLimitReset] == "30")
        #expect(first.headers[.retryAfter] == nil)
        #expect(limiter.take(for: TestApp.orgA, ratePerMinute: 2).remaining == 0)
        let refused = limiter.take(for: TestApp.orgA, ratePerMinute: 2)
        #expect(!refused.isAllowed)
        #expect(refused.headers[.retryAfter] == "30")
        #expect(throws: APIError.self) { try refused.check() }
        #expect(limiter.take(for: TestApp.orgB, ratePerMinute: 2).isAllowed)  // per organization
        #expect(limiter.take(for: TestApp.orgA, ratePerMinute: 10).isAllowed)  // a new rate is a new bucket
    }

    @Test func middlewareSetsHeadersAndAnswers429() async throws {
        var app = await TestApp()
        app.ratePerMinute = 2
        let token = try await app.token(role: .user, organization: TestApp.orgA)
        try await app.test { client in
            for remaining in ["1", "0"] {
                try await client.execute(uri: "/v1/whoami", method: .get, headers: TestApp.bearer(token)) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.rateLimitLimit] == "2")
                    #expect(response.headers[.rateLimitRemaining] == remaining)
                    #expect(response.headers[.rateLimitReset] != nil)
                }
            }
            try await client.execute(uri: "/v1/whoami", method: .get, headers: TestApp.bearer(token)) { response in
                #expect(response.status == .tooManyRequests)
                let error = try ErrorBody.decode(response)
                #expect(error.code == "RATE_LIMITED")
                #expect(error.type == "rate_limit_error")
                #expect(response.headers[.retryAfter] == "30")
                #expect(response.headers[.rateLimitRemaining] == "0")
                #expect(response.headers[.requestID] == error.request_id)
            }
            // Anonymous routes are not limited.
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.headers[.rateLimitLimit] == nil) }
        }
    }
}
