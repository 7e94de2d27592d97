import PesaCore
import Testing

@testable import PesaEngine

/// The subscription's life on a clock the test moves: the trial ends, a month ends and its invoice is drafted
/// (and refreshed with late usage during the draft period), then finalized with the instance's first number; the
/// due date passes (`past_due`, with the warning), then the grace (`suspended`: no new payments, and the 402 says
/// how to pay); paying brings it back at once. Everything holds across a restart.
@Suite struct BillingLifecycleTests {
    typealias F = BillingFixtures

    @Test func trialMonthEndDueDateGraceAndPayment() async throws {
        let clock = SettableClock(F.eat("2026-11", 20, 10))
        var harness = try await EngineHarness.start(clock: clock)
        var gateway = harness.gateway
        let root = EngineHarness.superAdmin
        _ = try await gateway.createPlan(F.tiny, by: root)
        _ = try await gateway.createPlan(F.big, by: root)
        let acme = try await gateway.createOrganization(name: "Acme", slug: "acme", plan: "tiny", by: root).record
        #expect(acme.subscriptionStatus == .trialing)
        #expect(acme.currentPeriodEndMs == F.eat("2026-12", 4))  // 14 days from the 20th, at 00:00 EAT

        await gateway.advanceBilling()
        #expect(try await F.subscription(acme.id, gateway).status == .trialing)

        // The trial ends; November was all trial: no invoice.
        clock.set(F.eat("2026-12", 4, 0, minute: 1))
        await gateway.advanceBilling()
        var subscription = try await F.subscription(acme.id, gateway)
        #expect(subscription.status == .active)
        #expect(subscription.reason == "the trial ended")
        #expect(try await F.invoices(acme.id, gateway).isEmpty)
        await gateway.advanceBilling()  // each step is taken once
        #expect(try await F.subscription(acme.id, gateway).milestones == ["trial_end", "period:2026-11"])

        // December: 25 API calls (15 beyond the 10 included) and 3 pushes (1 beyond the 2 included).
        clock.set(F.eat("2026-12", 10, 12))
        F.apiCalls(25, in: acme.id, gateway: gateway, atMs: clock.nowMs())
        await gateway.flushAPICalls()
        try await F.journalPushes(3, in: acme.id, gateway: gateway)
        // Five more calls on the 31st, journaled only after the month ended (the meter's window).
        F.apiCalls(5, in: acme.id, gateway: gateway, atMs: F.eat("2026-12", 31, 23, minute: 59))

        // The month ends: a draft of what it will owe.
        clock.set(F.eat("2027-01", 1, 0, minute: 5))
        await gateway.advanceBilling()
        var invoices = try await F.invoices(acme.id, gateway)
        try #require(invoices.count == 1)
        var draft = invoices[0]
        #expect(draft.status == .draft)
        #expect(draft.number == nil)
        #expect(draft.month == "2026-12")
        #expect(draft.lines.map(\.item) == ["plan_fee", "api_calls", "transactions"])
        #expect(draft.lines[0].quantity == 28)  // 4 to 31 December
        #expect(draft.lines[0].amount == Amount(shillings: 2_800))
        #expect(draft.lines[1].used == 25)
        #expect(draft.lines[1].amount == Amount(minorUnits: 750))
        #expect(draft.lines[2].used == 3)
        #expect(draft.lines[2].amount == Amount(shillings: 5))
        #expect(draft.lines.allSatisfy { $0.seqFrom != nil && $0.seqTo != nil })

        // The late calls land during the draft period: the draft is refreshed, same id.
        await gateway.flushAPICalls()
        await gateway.advanceBilling()
        invoices = try await F.invoices(acme.id, gateway)
        #expect(invoices.map(\.id) == [draft.id])
        draft = invoices[0]
        #expect(draft.lines[1].used == 30)
        #expect(draft.subtotal == Amount(minorUnits: 280_000 + 1_000 + 500))
        #expect(draft.tax == Amount(minorUnits: 45_040))  // 16 % of 2,815.00
        #expect(draft.total == Amount(minorUnits: 326_540))

        // Paying a draft is refused: it is not final.
        let admin = EngineHarness.member(.orgAdmin, of: acme.id)
        let early = await #expect(throws: EngineError.self) {
            try await gateway.payInvoice(draft.id, phone: "0708374149", in: acme.id, idempotency: nil, by: admin)
        }
        #expect(early?.code == .conflict)

        // The draft period ends: finalized, numbered, due in 14 days.
        clock.set(F.eat("2027-01", 4, 0, minute: 5))
        await gateway.advanceBilling()
        let open = try #require(try await F.invoices(acme.id, gateway).first)
        #expect(open.id == draft.id)
        #expect(open.status == .open)
        #expect(open.number == "PESA-2026-000001")
        #expect(open.dueAtMs == clock.nowMs() + 14 * F.dayMs)
        #expect(open.total == draft.total)
        // Billing the month again changes nothing.
        let again = try await gateway.runBilling(month: "2026-12", finalizeNow: false, by: root)
        #expect(again.finalized)
        #expect(again.organizations.map(\.action) == [.unchanged])
        #expect(again.organizations.first?.invoice == open)

        // Unpaid at the due date: past due, with the warning; payments still start.
        clock.set(open.dueAtMs! + 60_000)
        await gateway.advanceBilling()
        subscription = try await F.subscription(acme.id, gateway)
        #expect(subscription.status == .pastDue)
        let warning = try #require(await gateway.billingWarning(of: acme.id))
        #expect(warning.contains("PESA-2026-000001"))
        #expect(warning.contains("/v1/invoices/\(open.id.rawValue)/pay"))
        #expect(warning.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\n" })
        try await gateway.engine(acme.id).read { (state) throws(EngineError) in
            try Gateway.requireActiveSubscription(state)
        }

        // A week later: suspended, and a new payment is refused with how to pay.
        clock.set(open.dueAtMs! + 7 * F.dayMs + 60_000)
        await gateway.advanceBilling()
        #expect(try await F.subscription(acme.id, gateway).status == .suspended)
        #expect(await gateway.billingWarning(of: acme.id) == nil)
        let refused = await #expect(throws: EngineError.self) {
            try await gateway.engine(acme.id).read { (state) throws(EngineError) in
                try Gateway.requireActiveSubscription(state)
            }
        }
        #expect(refused?.code == .subscriptionInactive)
        #expect(refused?.message.contains("POST /v1/invoices/\(open.id.rawValue)/pay") == true)
        // A suspended organization still reads its invoices and subscription.
        #expect(try await gateway.subscription(in: acme.id, by: admin).overdue.map(\.id) == [open.id])

        // Paid by bank transfer: active again at once.
        let paid = try await gateway.markInvoicePaid(open.id, reference: "EQUITY-TRX-88", by: root)
        #expect(paid.status == .paid)
        #expect(paid.payment == InvoicePayment(method: "manual", reference: "EQUITY-TRX-88"))
        subscription = try await F.subscription(acme.id, gateway)
        #expect(subscription.status == .active)
        #expect(subscription.reason == "invoice PESA-2026-000001 was paid")
        #expect(
            await #expect(throws: EngineError.self) {
                try await gateway.voidInvoice(open.id, reason: "late", by: root)
            }?.code == .conflict)

        // After a restart: everything as it was, and the next number follows without a gap.
        harness = try await harness.restarted(clock: clock)
        gateway = harness.gateway
        #expect(try await F.invoices(acme.id, gateway) == [paid])
        let globex = try await gateway.createOrganization(name: "Globex", slug: "globex", plan: "big", by: root)
        clock.set(F.eat("2027-02", 1, 1))
        let run = try await gateway.runBilling(month: "2027-01", finalizeNow: true, by: root)
        let numbers = run.organizations.compactMap { $0.invoice?.number }.sorted()
        #expect(numbers == ["PESA-2027-000002", "PESA-2027-000003"])
        let globexInvoice = run.organizations.first { $0.organizationID == globex.record.id }?.invoice
        #expect(globexInvoice?.lines.first?.quantity == 7)  // from the 25th
        await gateway.close()
    }
}
