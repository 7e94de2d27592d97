import PesaCore
import Testing

@Suite struct PlanTests {
    @Test func catalogLookups() throws {
        #expect(try Plan.named("starter").rateLimitPerMinute == 300)
        #expect(throws: PesaCoreError.self) { try Plan.named("gold") }
        #expect(Plan.catalog.map(\.name) == ["free", "starter", "business", "enterprise"])
    }

    @Test func rateLimitOverride() throws {
        let starter = try Plan.named("starter")
        #expect(starter.effectiveRateLimitPerMinute(override: nil) == 300)
        #expect(starter.effectiveRateLimitPerMinute(override: 5) == 5)
    }

    @Test func subscriptionStatusGatesPayments() {
        let allowed = SubscriptionStatus.allCases.filter(\.allowsPaymentInitiation)
        #expect(allowed == [.trialing, .active, .pastDue])
    }
}
