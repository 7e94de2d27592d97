import PesaCore
import Testing

@testable import PesaEngine

/// Plan changes and cancellation: an upgrade takes effect at once and is prorated to the day, a downgrade waits
/// for the period's end, a cancellation asked for ends the subscription at the period's end (no invoice after
/// it), and a price change applies from the next period.
@Suite struct BillingPlanChangeTests {
    typealias F = BillingFixtures

    @Test func upgradeAtOnceDowngradeAndCancelAtThePeriodsEnd() async throws {
        let clock = SettableClock(F.eat("2026-12", 1, 10))
        let harness = try await EngineHarness.start(clock: clock)
        let gateway = harness.gateway
        let root = EngineHarness.superAdmin
        var noTrial = F.tiny
        noTrial.trialDays = 0
        _ = try await gateway.createPlan(noTrial, by: root)
        _ = try await gateway.createPlan(F.big, by: root)
        let acme = try await gateway.createOrganization(name: "Acme", slug: "acme", plan: "tiny", by: root).record.id
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        #expect(try await F.subscription(acme, gateway).status == .active)

        // The 11th: an upgrade, at once.
        clock.set(F.eat("2026-12", 11, 9))
        var changes = SubscriptionChanges()
        changes.plan = "big"
        var view = try await gateway.updateSubscription(changes, in: acme, by: admin)
        #expect(view.plan.name == "big")
        #expect(view.record.scheduledPlan == nil)
        // The 20th: a downgrade waits for the period's end.
        clock.set(F.eat("2026-12", 20, 9))
        changes.plan = "tiny"
        view = try await gateway.updateSubscription(changes, in: acme, by: admin)
        #expect(view.plan.name == "big")
        #expect(view.record.scheduledPlan == "tiny")
        // A plan that does not exist, and a member who is not an admin, are refused.
        changes.plan = "gold"
        #expect(
            await #expect(throws: EngineError.self) {
                try await gateway.updateSubscription(changes, in: acme, by: admin)
            }?.param == "plan")
        #expect(
            await #expect(throws: EngineError.self) {
                try await gateway.updateSubscription(
                    SubscriptionChanges(), in: acme, by: EngineHarness.member(.manager, of: acme))
            }?.code == .forbidden)

        // December: tiny for 1–10, big for 11–31, each prorated to the day.
        clock.set(F.eat("2027-01", 1, 0, minute: 2))
        await gateway.advanceBilling()
        let december = try #require(try await F.invoices(acme, gateway).first)
        let fees = december.lines.filter { $0.item == "plan_fee" }
        #expect(fees.map(\.quantity) == [10, 21])
        #expect(fees.map(\.amount) == [Amount(shillings: 1_000), Amount(shillings: 4_200)])
        #expect(december.plan == "big")
        // The period ended: the downgrade took effect as of 00:00 EAT.
        var subscription = try await F.subscription(acme, gateway)
        #expect(subscription.plan == "tiny")
        #expect(subscription.plans.last?.fromMs == F.eat("2027-01", 1))
        #expect(subscription.scheduledPlan == nil)

        // A price change in January applies from February.
        clock.set(F.eat("2027-01", 5, 9))
        var dearer = PlanChanges()
        dearer.monthlyFee = 620_000
        _ = try await gateway.updatePlan("tiny", dearer, by: root)
        // Asked to cancel at the period's end.
        var cancel = SubscriptionChanges()
        cancel.cancelAtPeriodEnd = true
        view = try await gateway.updateSubscription(cancel, in: acme, by: admin)
        #expect(view.record.cancelAtPeriodEnd)
        #expect(view.status == .active)

        clock.set(F.eat("2027-02", 1, 0, minute: 2))
        await gateway.advanceBilling()
        subscription = try await F.subscription(acme, gateway)
        #expect(subscription.status == .cancelled)
        #expect(subscription.cancelledAtMs == F.eat("2027-02", 1))
        let january = try #require(try await F.invoices(acme, gateway).first { $0.month == "2027-01" })
        #expect(january.lines.first?.amount == Amount(shillings: 3_100))  // January's price: the old one
        // No payment starts now, and the admin cannot change a cancelled subscription.
        let refused = await #expect(throws: EngineError.self) {
            try await gateway.engine(acme).read { (state) throws(EngineError) in
                try Gateway.requireActiveSubscription(state)
            }
        }
        #expect(refused?.message.contains("cancelled") == true)
        #expect(
            await #expect(throws: EngineError.self) {
                try await gateway.updateSubscription(cancel, in: acme, by: admin)
            }?.code == .conflict)
        // February is not billed.
        clock.set(F.eat("2027-03", 2, 0))
        let run = try await gateway.runBilling(month: "2027-02", finalizeNow: true, by: root)
        #expect(run.organizations.map(\.action) == [.none])

        // A super admin reactivates it by hand, with a reason (required), audited.
        var set = OrganizationChanges()
        set.subscriptionStatus = .active
        #expect(
            await #expect(throws: EngineError.self) {
                try await gateway.updateOrganization(acme, set, by: root)
            }?.param == "reason")
        set.subscriptionReason = "customer came back; paid in cash"
        _ = try await gateway.updateOrganization(acme, set, by: root)
        subscription = try await F.subscription(acme, gateway)
        #expect(subscription.status == .active)
        #expect(subscription.reason == "customer came back; paid in cash")
        #expect(subscription.cancelledAtMs == nil)
        await gateway.close()
    }

    /// Voiding an open invoice issues a credit note from the same gapless sequence; billing the month again
    /// makes the correction, a new invoice with the next number. Another organization's admin sees none of it.
    @Test func voidCreditNoteCorrectionAndIsolation() async throws {
        let clock = SettableClock(F.eat("2026-12", 1, 10))
        let harness = try await EngineHarness.start(clock: clock)
        let gateway = harness.gateway
        let root = EngineHarness.superAdmin
        _ = try await gateway.createPlan(F.big, by: root)
        let acme = try await gateway.createOrganization(name: "Acme", slug: "acme", plan: "big", by: root).record.id
        let globex = try await gateway.createOrganization(name: "Globex", slug: "globex", plan: "big", by: root)
            .record.id
        // The month in progress: drafts to date, never final.
        clock.set(F.eat("2026-12", 15, 10))
        let drafts = try await gateway.runBilling(month: "2026-12", finalizeNow: true, by: root)
        #expect(!drafts.finalized)
        #expect(drafts.organizations.map(\.action) == [.created, .created])
        #expect(drafts.organizations.allSatisfy { $0.invoice?.status == .draft })
        #expect(
            await #expect(throws: EngineError.self) {
                try await gateway.runBilling(month: "2027-01", finalizeNow: true, by: root)
            }?.param == "month")

        clock.set(F.eat("2027-01", 2, 10))
        let run = try await gateway.runBilling(month: "2026-12", finalizeNow: true, by: root)
        #expect(run.organizations.map { $0.invoice?.number } == ["PESA-2026-000001", "PESA-2026-000002"])
        let first = try #require(run.organizations.first?.invoice)
        #expect(first.total == Amount(shillings: 7_192))  // 6,200 and 16 % VAT

        let voided = try await gateway.voidInvoice(first.id, reason: "wrong plan", by: root)
        #expect(voided.status == .void)
        let acmeInvoices = try await F.invoices(acme, gateway)
        let credit = try #require(acmeInvoices.first { $0.kind == .creditNote })
        #expect(credit.number == "PESA-2026-000003")
        #expect(credit.total == Amount(shillings: -7_192))
        #expect(credit.relatedInvoiceID == first.id)
        #expect(voided.relatedInvoiceID == credit.id)
        // The automatic billing does not remake a voided month; a super admin's run makes the correction.
        await gateway.advanceBilling()
        #expect(try await F.invoices(acme, gateway).count == 2)
        let correction = try await gateway.runBilling(month: "2026-12", finalizeNow: true, by: root)
        #expect(correction.organizations.map(\.action) == [.finalized, .unchanged])
        #expect(correction.organizations.first?.invoice?.number == "PESA-2026-000004")
        let all = try await gateway.allInvoices(month: "2026-12", status: nil, by: root)
        #expect(all.compactMap(\.number) == (1...4).reversed().map { "PESA-2026-00000\($0)" })

        // Another organization's admin reads, pays and lists none of acme's invoices.
        let outsider = EngineHarness.member(.orgAdmin, of: globex)
        #expect(
            await #expect(throws: EngineError.self) {
                try await gateway.invoice(first.id, in: globex, by: outsider)
            }?.code == .notFound)
        #expect(
            await #expect(throws: EngineError.self) {
                try await gateway.payInvoice(first.id, phone: "0708374149", in: globex, idempotency: nil, by: outsider)
            }?.code == .notFound)
        #expect(
            await #expect(throws: EngineError.self) {
                try await gateway.invoices(in: acme, by: outsider)
            }?.code == .notFound)
        #expect(try await F.invoices(globex, gateway).map(\.number) == ["PESA-2026-000002"])
        // No operator: invoices are paid by hand. An operator without an M-Pesa short code: the payer is told
        // to pay by transfer; a short code the operator does not hold is refused when saved.
        let globexInvoice = try #require(try await F.invoices(globex, gateway).first)
        let byHand = await #expect(throws: EngineError.self) {
            try await gateway.payInvoice(
                globexInvoice.id, phone: "0708374149", in: globex, idempotency: nil, by: outsider)
        }
        #expect(byHand?.code == .conflict)
        #expect(byHand?.message.contains("bank transfer") == true)
        var settings = BillingSettingsChanges()
        settings.operatorOrganizationID = acme
        _ = try await gateway.updateBillingSettings(settings, by: root)
        let notReady = await #expect(throws: EngineError.self) {
            try await gateway.payInvoice(
                globexInvoice.id, phone: "0708374149", in: globex, idempotency: nil, by: outsider)
        }
        #expect(notReady?.code == .conflict)
        #expect(notReady?.message.contains("operator cannot take M-Pesa payments") == true)
        settings.operatorShortCode = "999999"
        #expect(
            await #expect(throws: EngineError.self) {
                try await gateway.updateBillingSettings(settings, by: root)
            }?.param == "operator_short_code")
        // Only a super admin runs billing, marks paid or voids.
        #expect(
            await #expect(throws: EngineError.self) {
                try await gateway.markInvoicePaid(
                    first.id, reference: "x", by: EngineHarness.member(.orgAdmin, of: acme))
            }?.code == .forbidden)
        await gateway.close()
    }
}
