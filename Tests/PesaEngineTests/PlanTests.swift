import PesaCore
import PesaStore
import Testing

@testable import PesaEngine

/// Plans in the instance's `system/` journal: seeded with the built-in catalog once, added and changed by a
/// super admin as new versions (a running period keeps the version it started with), used by new
/// organizations, rate limits and subscriptions, and kept across a restart.
@Suite struct PlanTests {
    @Test func plansAreSeededVersionedUsedAndKept() async throws {
        let clock = SettableClock(1_764_331_200_000)
        var harness = try await EngineHarness.start(snapshotEvery: 3, clock: clock)
        let gateway = harness.gateway
        let root = EngineHarness.superAdmin
        let seeded = try await gateway.plans(by: root)
        #expect(seeded.map(\.plan.name) == ["free", "starter", "business", "enterprise"])
        #expect(seeded.allSatisfy { $0.plan.version == 1 })

        var growth = Plan(
            name: "growth", monthlyFee: Amount(shillings: 5_000), includedCalls: 50_000,
            overageFeePerCall: Amount(minorUnits: 30), rateLimitPerMinute: 600, includedTransactions: 5_000,
            pricePerTransaction: Amount(minorUnits: 150), trialDays: 7)
        let created = try await gateway.createPlan(growth, by: root)
        #expect(created.plan.version == 1)
        #expect(
            await #expect(throws: EngineError.self) { try await gateway.createPlan(growth, by: root) }?.code
                == .conflict)
        growth.name = "Growth Plan"
        #expect(
            await #expect(throws: EngineError.self) { try await gateway.createPlan(growth, by: root) }?.param
                == "name")
        var badRate = PlanChanges()
        badRate.rateLimitPerMinute = 0
        #expect(
            await #expect(throws: EngineError.self) { try await gateway.updatePlan("growth", badRate, by: root) }?
                .param == "rate_limit_per_minute")
        #expect(
            await #expect(throws: EngineError.self) { try await gateway.updatePlan("nope", badRate, by: root) }?
                .code == .notFound)

        // A new organization on the new plan: its trial, its rate limit.
        let acme = try await gateway.createOrganization(name: "Acme", slug: "acme", plan: "growth", by: root).record
        #expect(acme.subscriptionStatus == .trialing)
        // A 7-day trial ends at 00:00 Kenya time seven days after the day it started.
        #expect(acme.currentPeriodEndMs == SubscriptionRecord.trialEnd(startedAtMs: acme.currentPeriodStartMs, days: 7))
        let (start, end) = (acme.currentPeriodStartMs, acme.currentPeriodEndMs)
        #expect(KenyaTime.dayIndex(ms: end) - KenyaTime.dayIndex(ms: start) == 7)
        #expect(try await gateway.rateLimit(of: acme.id)?.perMinute == 600)
        let unknown = await #expect(throws: EngineError.self) {
            try await gateway.createOrganization(name: "Globex", slug: "globex", plan: "gold", by: root)
        }
        #expect(unknown?.param == "plan")
        #expect(unknown?.message.contains("growth") == true)

        // A change is a new version; the limit in force follows at once, the old version stays on record.
        clock.set(acme.currentPeriodStartMs + 86_400_000)
        var faster = PlanChanges()
        faster.rateLimitPerMinute = 900
        faster.monthlyFee = 600_000
        let changed = try await gateway.updatePlan("growth", faster, by: root)
        #expect(changed.plan.version == 2)
        #expect(changed.plan.monthlyFee == Amount(shillings: 6_000))
        #expect(changed.plan.includedTransactions == 5_000)  // not named: kept
        #expect(try await gateway.rateLimit(of: acme.id)?.perMinute == 900)
        let versions = try await gateway.system.read { state in state.plans["growth"] ?? [] }
        #expect(versions.map(\.plan.version) == [1, 2])
        let atStart = try await gateway.system.read { state in
            state.plan("growth", atMs: acme.currentPeriodStartMs)
        }
        #expect(atStart?.monthlyFee == Amount(shillings: 5_000))

        // Only a super admin sees or changes plans.
        let admin = EngineHarness.member(.orgAdmin, of: acme.id)
        #expect(await #expect(throws: EngineError.self) { try await gateway.plans(by: admin) }?.code == .forbidden)
        #expect(
            await #expect(throws: EngineError.self) { try await gateway.updatePlan("growth", faster, by: admin) }?
                .code == .forbidden)

        // A restart keeps every version and seeds nothing again.
        harness = try await harness.restarted()
        let kept = try await harness.gateway.plans(by: root)
        #expect(kept.map(\.plan.name).sorted() == ["business", "enterprise", "free", "growth", "starter"])
        #expect(kept.first { $0.plan.name == "growth" }?.plan.version == 2)
        #expect(try await harness.gateway.rateLimit(of: acme.id)?.perMinute == 900)
        let subscription = try await harness.gateway.subscription(in: acme.id, by: admin)
        #expect(subscription.plan.name == "growth")
        await harness.gateway.close()
    }
}

/// A plan's hard cap: payments beyond the transactions it includes this month are refused (402), a reversal
/// and the results of payments already moving never are.
@Suite struct HardCapTests {
    @Test func paymentsBeyondTheCapAreRefusedAndMoneyMovingIsStillRecorded() async throws {
        try await PaymentsHarness.run { harness in
            let gateway = harness.gateway
            let root = EngineHarness.superAdmin
            _ = try await gateway.createPlan(
                Plan(
                    name: "capped", monthlyFee: .zero, includedCalls: 1_000, overageFeePerCall: .zero,
                    rateLimitPerMinute: 600, includedTransactions: 2, hardCap: true, trialDays: 0),
                by: root)
            var changes = OrganizationChanges()
            changes.plan = "capped"
            _ = try await gateway.updateOrganization(harness.organization, changes, by: root)
            let paid = try await harness.push("254708374149", amount: 40)
            _ = try await harness.payout("254708374141")
            let refused = await #expect(throws: EngineError.self) { try await harness.push("254708374142") }
            #expect(refused?.code == .subscriptionInactive)
            #expect(refused?.message.contains("hard cap") == true)
            #expect(
                await #expect(throws: EngineError.self) { try await harness.payout("254708374143") }?.code
                    == .subscriptionInactive)
            // The pushes already made are still settled by their callbacks, and a reversal is not capped.
            _ = try await harness.deliverCallbacks(count: 1)
            let settled = try await harness.payment(paid.payment.id)
            #expect(settled.status == .succeeded)
            let receipt = try #require(settled.mpesaReceipt)
            let reversal = try await gateway.reversal(
                ReversalParameters(mpesaReceipt: receipt, amount: 40, remarks: "Refund"), in: harness.organization,
                idempotency: nil, by: harness.admin)
            #expect(reversal.payment.type == .reversal)
            // Lifting the cap lets payments start again.
            var lifted = PlanChanges()
            lifted.hardCap = false
            _ = try await gateway.updatePlan("capped", lifted, by: root)
            #expect(try await harness.push("254708374144").payment.status == .pending)
        }
    }
}
