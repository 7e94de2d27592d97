import PesaCore
import Testing

@Suite struct PlanTests {
    @Test func catalogLookups() throws {
        #expect(try Plan.named("starter").rateLimitPerMinute == 300)
        #expect(throws: PesaCoreError.self) { try Plan.named("gold") }
        #expect(Plan.catalog.map(\.name) == ["free", "starter", "business", "enterprise"])
    }

    @Test func quotasAndInvoices() throws {
        let free = try Plan.named("free")
        #expect(free.quotaDecision(callsThisMonth: 0) == .included(remaining: 999))
        #expect(free.quotaDecision(callsThisMonth: 1_000) == .exhausted)
        let starter = try Plan.named("starter")
        #expect(starter.quotaDecision(callsThisMonth: 20_000) == .billedOverage)
        #expect(starter.invoiceTotal(callsThisMonth: 10) == Amount(shillings: 2_500))
        #expect(starter.invoiceTotal(callsThisMonth: 20_100) == Amount(minorUnits: 250_000 + 100 * 50))
        #expect(starter.effectiveRateLimitPerMinute(override: nil) == 300)
        #expect(starter.effectiveRateLimitPerMinute(override: 5) == 5)
    }

    @Test func subscriptionStatusGatesPayments() {
        let allowed = SubscriptionStatus.allCases.filter(\.allowsPaymentInitiation)
        #expect(allowed == [.trialing, .active, .pastDue])
    }
}
