import PesaCore
import PesaTesting
import Testing

@testable import PesaEngine

/// An invoice paid by M-Pesa: an STK push from the operator organization's short code, against the embedded
/// sandbox over loopback; its callback marks the invoice paid and brings the suspended subscription back. While
/// an organization is suspended its money already moving is still recorded: callbacks and reconciliation go on.
@Suite struct InvoicePaymentTests {
    @Test func anInvoicePaidByAnSTKPushFromTheOperatorsShortCode() async throws {
        let clock = SettableClock(SystemWallClock().nowMs())
        try await PaymentsHarness.run(reconcileAfterMs: 0, clock: clock) { harness in
            let gateway = harness.gateway
            let root = EngineHarness.superAdmin
            let (globex, invoice) = try await Self.openInvoice(harness, clock: clock)
            let globexAdmin = EngineHarness.member(.orgAdmin, of: globex)
            var suspend = OrganizationChanges()
            suspend.subscriptionStatus = .suspended
            suspend.subscriptionReason = "invoice unpaid"
            _ = try await gateway.updateOrganization(globex, suspend, by: root)

            // The push: the total rounded up to a whole shilling; a retry with its key is the same push.
            let key = IdempotencyInput(key: "pay-invoice-1", requestHash: "body-1")
            let first = try await gateway.payInvoice(
                invoice.id, phone: "254708374149", in: globex, idempotency: key, by: globexAdmin)
            let shillings = (invoice.total.minorUnits + 99) / 100
            #expect(first.payment.payment.amount == Amount(shillings: shillings))
            let number = try #require(invoice.number)
            #expect(first.payment.payment.accountReference == String(number.dropFirst(5)).filter { $0 != "-" })
            let retry = try await gateway.payInvoice(
                invoice.id, phone: "254708374149", in: globex, idempotency: key, by: globexAdmin)
            #expect(retry.payment.payment.id == first.payment.payment.id)
            #expect(retry.payment.isReplay)

            // The operator's own organization suspended meanwhile, with another push of its own on the way.
            let own = try await harness.push("254711000111", amount: 20)
            _ = try await gateway.updateOrganization(harness.organization, suspend, by: root)
            let refused = await #expect(throws: EngineError.self) { try await harness.push("254711000222") }
            #expect(refused?.code == .subscriptionInactive)
            // Reconciliation still runs for it, and callbacks are still recorded.
            await gateway.reconcile(harness.organization)
            let asked = try await gateway.payment(own.payment.id, in: harness.organization, by: harness.admin)
            #expect(asked.reconcileAttempts > 0 || asked.status == .succeeded)
            _ = try await harness.deliverCallbacks(count: 2)
            let settled = try await gateway.payment(own.payment.id, in: harness.organization, by: harness.admin)
            #expect(settled.status == .succeeded)

            let paid = try await gateway.invoice(invoice.id, in: globex, by: globexAdmin)
            #expect(paid.status == .paid)
            #expect(paid.payment?.method == "mpesa")
            #expect(paid.payment?.paymentID == first.payment.payment.id)
            let receipt = try await gateway.payment(first.payment.payment.id, in: harness.organization, by: root)
                .mpesaReceipt
            #expect(receipt != nil && paid.payment?.reference == receipt, "\(String(describing: paid.payment))")
            let subscription = try await gateway.subscription(in: globex, by: globexAdmin)
            #expect(subscription.status == .active)
            #expect(subscription.record.reason == "invoice \(invoice.number ?? "") was paid")
            // Paying again is refused: it is paid.
            #expect(
                await #expect(throws: EngineError.self) {
                    try await gateway.payInvoice(
                        invoice.id, phone: "254708374149", in: globex, idempotency: nil, by: globexAdmin)
                }?.code == .conflict)
        }
    }

    /// The operator organization (the harness's) bills Globex on the plan "big": Globex's open invoice of this
    /// month, the clock an hour past the month's end.
    static func openInvoice(_ harness: PaymentsHarness, clock: SettableClock) async throws
        -> (OrganizationID, Invoice)
    {
        let gateway = harness.gateway
        let root = EngineHarness.superAdmin
        _ = try await gateway.createPlan(BillingFixtures.big, by: root)
        var settings = BillingSettingsChanges()
        settings.operatorOrganizationID = harness.organization
        settings.operatorName = "Pesa Operator Ltd"
        settings.operatorTaxPIN = "P051234567X"
        _ = try await gateway.updateBillingSettings(settings, by: root)
        let globex = try await gateway.createOrganization(name: "Globex", slug: "globex", plan: "big", by: root)
            .record.id
        let month = KenyaTime.monthKey(ms: clock.nowMs())
        clock.set(try #require(KenyaTime.month(month)).endMs + 3_600_000)
        let run = try await gateway.runBilling(month: month, finalizeNow: true, by: root)
        let invoice = try #require(run.organizations.first { $0.organizationID == globex }?.invoice)
        #expect(invoice.status == .open)
        return (globex, invoice)
    }

    /// A push settled by a status query pays its invoice at once, naming the payment (the query's answer has no
    /// receipt); the push's own callback, later, puts its receipt in the payment's place, once.
    @Test func aPushSettledByAQueryPaysAtOnceAndItsLateCallbackBringsTheReceipt() async throws {
        let clock = SettableClock(SystemWallClock().nowMs())
        try await PaymentsHarness.run(reconcileAfterMs: 0, clock: clock) { harness in
            let gateway = harness.gateway
            let (globex, invoice) = try await Self.openInvoice(harness, clock: clock)
            let globexAdmin = EngineHarness.member(.orgAdmin, of: globex)
            let push = try await gateway.payInvoice(
                invoice.id, phone: "254708374149", in: globex, idempotency: nil, by: globexAdmin
            ).payment.payment
            // The sandbox has settled the push (its callback is held by the recorder): the query says so.
            let token = try await gateway.organization(harness.organization, by: harness.admin).openedToken
            let held = await harness.recorder.waitForDeliveries(
                to: "/callbacks/\(harness.slug)/\(token)/stk", count: 1, timeoutMs: 10_000)
            #expect(held.count == 1)
            await gateway.reconcile(harness.organization)
            let queried = try await harness.payment(push.id)
            #expect(queried.status == .succeeded)
            #expect(queried.mpesaReceipt == nil)
            await gateway.settleInvoicePayments()
            let paid = try await gateway.invoice(invoice.id, in: globex, by: globexAdmin)
            #expect(paid.status == .paid)
            #expect(paid.payment?.reference == push.id.rawValue)
            #expect(paid.payment?.paymentID == push.id)

            // The callback comes: its receipt replaces the payment's id; the invoice stays paid, paid once.
            #expect(try await harness.deliverCallbacks(count: 1) == [.accepted])
            let receipt = try #require(try await harness.payment(push.id).mpesaReceipt)
            let withReceipt = try await gateway.invoice(invoice.id, in: globex, by: globexAdmin)
            #expect(withReceipt.payment?.reference == receipt)
            #expect(withReceipt.status == .paid && withReceipt.paidAtMs == paid.paidAtMs)
            #expect(try await harness.deliverCallbacks(count: 1) == [.accepted])
            await gateway.settleInvoicePayments()
            let audit = try await gateway.auditLog(in: globex, after: 0, limit: 500, by: globexAdmin).entries
                .map(\.action)
            #expect(audit.filter { $0 == "invoice.paid" }.count == 1)
            #expect(audit.filter { $0 == "invoice.receipt" }.count == 1)
        }
    }
}
