@testable import PesaCore
import Testing

/// Rate limits as the domain keeps them: the limit in force from a plan and an override, the journaled form of
/// an override and of an API key's own limit, and both in snapshots of format 8 (and left out of format 7).
@Suite struct RateLimitStateTests {
    static let plan = Plan(
        name: "growth", monthlyFee: .zero, includedCalls: 1, overageFeePerCall: .zero, rateLimitPerMinute: 600)

    @Test func theLimitInForceTakesEachNumberFromTheOverrideElseThePlan() {
        var withBurst = Self.plan
        withBurst.burst = 900
        #expect(Self.plan.effectiveRateLimit(override: nil) == RateLimit(perMinute: 600, burst: 600))
        #expect(withBurst.effectiveRateLimit(override: nil) == RateLimit(perMinute: 600, burst: 900))
        // A plain number: the plan's burst, else a minute's worth of the new rate.
        #expect(Self.plan.effectiveRateLimit(override: RateLimit(perMinute: 60)) == RateLimit(perMinute: 60, burst: 60))
        #expect(
            withBurst.effectiveRateLimit(override: RateLimit(perMinute: 60)) == RateLimit(perMinute: 60, burst: 900))
        #expect(
            withBurst.effectiveRateLimit(override: RateLimit(perMinute: 60, burst: 5))
                == RateLimit(perMinute: 60, burst: 5))
        #expect(RateLimit(perMinute: 60).capacity == 60)
        #expect(RateLimit(perMinute: 60, burst: 5).fits(within: RateLimit(perMinute: 60, burst: 10)))
        #expect(!RateLimit(perMinute: 61, burst: 5).fits(within: RateLimit(perMinute: 60, burst: 10)))
    }

    @Test func problemsNameTheField() {
        #expect(RateLimit(perMinute: 0).problem()?.field == "rate_limit.per_minute")
        #expect(RateLimit(perMinute: -3).problem()?.field == "rate_limit.per_minute")
        #expect(RateLimit(perMinute: Limits.rateLimitPerMinuteMax + 1).problem()?.field == "rate_limit.per_minute")
        #expect(RateLimit(perMinute: 10, burst: 0).problem()?.field == "rate_limit.burst")
        let tooBig = RateLimit(perMinute: 10, burst: Limits.tokenBucketCapacityMax + 1)
        #expect(tooBig.problem(prefix: "x")?.field == "x.burst")
        #expect(
            RateLimit(perMinute: Limits.rateLimitPerMinuteMax, burst: Limits.tokenBucketCapacityMax).problem() == nil)
    }

    @Test func journaledFormsAreAdditiveOptionalFields() throws {
        let update = TenantEvent.organizationUpdated(.init(rateLimitOverride: 500, rateLimitBurstOverride: 50))
        #expect(
            String(decoding: update.canonicalData(), as: UTF8.self)
                == #"{"rate_limit_burst_override":50,"rate_limit_override":500}"#)
        let key = TenantEvent.apiKeyCreated(.init(
            keyID: Fixtures.keyID(1), name: "k", role: .user, keyHash: "ab", keyHint: "h", environment: "sandbox",
            rateLimit: RateLimit(perMinute: 120, burst: 20)))
        let keyText = String(decoding: key.canonicalData(), as: UTF8.self)
        #expect(keyText.contains(#""rate_limit":{"burst":20,"per_minute":120}"#))
        // Lines written before: no such fields, no limit.
        let line = #"{"environment":"sandbox","key_hash":"ab","key_hint":"h","key_id":"\#(Fixtures.keyID(1))","#
            + #""name":"k","role":"user"}"#
        let old = try TenantEvent(type: "api_key.created", data: Array(line.utf8)[...])
        guard case .apiKeyCreated(let data) = old else { Issue.record("wrong case"); return }
        #expect(data.rateLimit == nil)
    }

    @Test func anOverrideIsReplacedWholeAndClearedWhole() throws {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated])
        try state.applyAll([.organizationUpdated(.init(rateLimitOverride: 500, rateLimitBurstOverride: 50))])
        #expect(state.organization?.rateLimitOverrideLimit == RateLimit(perMinute: 500, burst: 50))
        try state.applyAll([.organizationUpdated(.init(rateLimitOverride: 700))])
        #expect(state.organization?.rateLimitOverrideLimit == RateLimit(perMinute: 700))
        try state.applyAll([.organizationUpdated(.init(rateLimitOverride: 10, rateLimitBurstOverride: 2))])
        try state.applyAll([.organizationUpdated(.init(rateLimitOverrideCleared: true))])
        #expect(state.organization?.rateLimitOverride == nil && state.organization?.rateLimitBurstOverride == nil)
        // A burst alone, or out of range, is refused before anything changes.
        #expect(throws: PesaCoreError.self) {
            try state.validate(.organizationUpdated(.init(rateLimitBurstOverride: 5)))
        }
        #expect(throws: PesaCoreError.self) {
            try state.validate(.organizationUpdated(.init(rateLimitOverride: 5, rateLimitBurstOverride: 0)))
        }
        #expect(throws: PesaCoreError.self) {
            try state.validate(.apiKeyCreated(.init(
                keyID: Fixtures.keyID(2), name: "k", role: .user, keyHash: "cd", keyHint: "h", environment: "sandbox",
                rateLimit: RateLimit(perMinute: 0))))
        }
    }

    @Test func format8KeepsTheLimitsAndFormat7LeavesThemOut() throws {
        var state = TenantState()
        try state.applyAll([
            Fixtures.organizationCreated,
            .organizationUpdated(.init(rateLimitOverride: 500, rateLimitBurstOverride: 50)),
            .apiKeyCreated(.init(
                keyID: Fixtures.keyID(1), name: "limited", role: .user, keyHash: "ab", keyHint: "h",
                environment: "sandbox", rateLimit: RateLimit(perMinute: 120, burst: 20))),
            .apiKeyCreated(.init(
                keyID: Fixtures.keyID(2), name: "rate only", role: .user, keyHash: "cd", keyHint: "h",
                environment: "sandbox", rateLimit: RateLimit(perMinute: 30))),
            .apiKeyCreated(.init(
                keyID: Fixtures.keyID(3), name: "none", role: .user, keyHash: "ef", keyHint: "h",
                environment: "sandbox")),
        ])
        let current = try TenantState(snapshotPayload: state.snapshotPayload(formatVersion: 8), formatVersion: 8)
        #expect(current == state.readBeforeFormat11())
        #expect(current.apiKeys[Fixtures.keyID(1)]?.rateLimit == RateLimit(perMinute: 120, burst: 20))
        #expect(current.apiKeys[Fixtures.keyID(2)]?.rateLimit == RateLimit(perMinute: 30))
        #expect(current.apiKeys[Fixtures.keyID(3)]?.rateLimit == nil)
        #expect(current.organization?.rateLimitOverrideLimit == RateLimit(perMinute: 500, burst: 50))
        let older = try TenantState(snapshotPayload: state.snapshotPayload(formatVersion: 7), formatVersion: 7)
        #expect(older.organization?.rateLimitOverride == 500)
        #expect(older.organization?.rateLimitBurstOverride == nil)
        #expect(older.apiKeys.values.allSatisfy { $0.rateLimit == nil })
        #expect(older.apiKeys.count == 3)
    }
}
