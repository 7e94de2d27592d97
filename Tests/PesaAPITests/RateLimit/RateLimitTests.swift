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

    /// Limit, remaining and reset of an allowed request.
    static func summary(_ status: RateLimitStatus) -> String {
        status.isAllowed ? "\(status.limit)/\(status.remaining)/\(status.resetSeconds)" : "refused"
    }

    @Test func aRequestTakesFromEveryBucketOrFromNone() throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock.clock)
        let organization = RateLimiter.Bucket.organization(TestApp.orgA, RateLimit(perMinute: 60, burst: 3))
        let key = RateLimiter.Bucket.apiKey(TestApp.keyA, RateLimit(perMinute: 60, burst: 2))
        // The tighter bucket is reported: the key's, with fewer tokens left.
        #expect(Self.summary(limiter.take([organization, key])) == "2/1/1")
        #expect(limiter.take([organization, key]).remaining == 0)
        // The key refuses: the organization keeps its last token.
        let refused = limiter.take([organization, key])
        #expect(!refused.isAllowed && refused.limit == 2 && refused.retryAfterMs == 1_000)
        #expect(Self.summary(limiter.take([organization])) == "3/0/3")
        // Now the organization refuses, and the key (refilled by then) keeps its token.
        clock.advance(ms: 1_000)
        let byOrganization = limiter.take([organization, key])
        #expect(byOrganization.isAllowed)
        let empty = limiter.take([organization, key])
        #expect(!empty.isAllowed && empty.limit == 3 && empty.retryAfterMs == 1_000)
        clock.advance(ms: 1_000)
        #expect(Self.summary(limiter.take([key])) == "2/0/2")
    }

    @Test func bothRefusingAnswersTheLongerWait() {
        let limiter = RateLimiter(clock: ManualClock().clock)
        let organization = RateLimiter.Bucket.organization(TestApp.orgA, RateLimit(perMinute: 1, burst: 1))
        let key = RateLimiter.Bucket.apiKey(TestApp.keyA, RateLimit(perMinute: 60, burst: 1))
        #expect(limiter.take([organization, key]).isAllowed)
        let refused = limiter.take([organization, key])
        #expect(refused.retryAfterMs == 60_000 && refused.headers[.retryAfter] == "60")
    }

    @Test func aChangedBurstIsANewBucketAndTheTableStaysBounded() {
        let limiter = RateLimiter(entriesCountMax: 2, clock: ManualClock().clock)
        let small = RateLimiter.Bucket.organization(TestApp.orgA, RateLimit(perMinute: 60, burst: 1))
        #expect(limiter.take([small]).isAllowed)
        #expect(!limiter.take([small]).isAllowed)
        let bigger = RateLimiter.Bucket.organization(TestApp.orgA, RateLimit(perMinute: 60, burst: 5))
        #expect(limiter.take([bigger]).remaining == 4)
        for index in 0..<10 {
            let other = OrganizationID(randomBytes: Array(repeating: UInt8(10 + index), count: 16))
            #expect(limiter.take([.organization(other, RateLimit(perMinute: 60))]).remaining == 59)
        }
    }

    @Test func anAPIKeysOwnLimitAppliesBesideItsOrganizations() async throws {
        struct Keys: APIKeyResolver {
            func identity(forKeyHash keyHash: String) async throws -> Identity? {
                Identity(
                    apiKey: TestApp.keyA, principal: try Principal(role: .user, organizationID: TestApp.orgA),
                    rateLimit: RateLimit(perMinute: 60, burst: 1))
            }
        }
        var app = await TestApp()
        app.ratePerMinute = 100
        app.apiKeys = Keys()
        let key = APIKey.generate(environment: .sandbox).secret
        let token = try await app.token(role: .user, organization: TestApp.orgA)
        try await app.test { client in
            try await client.execute(uri: "/v1/whoami", method: .get, headers: TestApp.bearer(key)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.rateLimitLimit] == "1")
                #expect(response.headers[.rateLimitRemaining] == "0")
            }
            try await client.execute(uri: "/v1/whoami", method: .get, headers: TestApp.bearer(key)) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "1")
            }
            // A login of the same organization meets only the organization's bucket, which lost one token.
            try await client.execute(uri: "/v1/whoami", method: .get, headers: TestApp.bearer(token)) { response in
                #expect(response.headers[.rateLimitLimit] == "100")
                #expect(response.headers[.rateLimitRemaining] == "98")
            }
        }
    }
}
