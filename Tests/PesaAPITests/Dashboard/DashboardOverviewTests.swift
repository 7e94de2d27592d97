import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import PesaTesting
import Testing

/// The overview through the real router and engine: periods against the previous ones, success rates, usage
/// against the plan (the numbers of the billing page), and the "Needs attention" panel, each item shown only when
/// true, to the roles that may act on it, linking to where to act; and the payment list's phone and receipt
/// filters.
@Suite struct DashboardOverviewTests {
    static func journal(_ events: [TenantEvent], in organization: OrganizationID, gateway: Gateway) async throws {
        let engine = try await gateway.engine(organization)
        try await engine.execute { (_, _) throws(EngineError) in Decision(events: events, value: ()) }
    }

    @Test func theOverviewComparesPeriodsAndShowsUsageAgainstThePlan() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            let page = try await browser.get("/ui/", client: client)
            #expect(page.status == .ok)
            let html = page.html
            #expect(html.contains("Against yesterday up to "))
            #expect(html.contains("Against last month up to "))
            // Three pushes today, none yesterday; none has finished yet.
            #expect(html.contains("KES 7,407.00"))
            #expect(html.contains("3 payments"))
            #expect(html.contains("(new)"))
            #expect(html.contains("Success rate: n/a (0 succeeded of 0 finished)"))
            #expect(html.contains("Nothing needs attention."))
            let admin = Actor(
                principal: try Principal(role: .orgAdmin, organizationID: world.acme), id: "u", requestID: "r")
            let subscription = try await world.gateway.subscription(in: world.acme, by: admin)
            #expect(html.contains("against the business plan"))
            #expect(html.contains("<td class=\"n\">\(subscription.transactions)</td>"))
            #expect(html.contains("<td class=\"n\">\(subscription.plan.includedTransactions)</td>"))
            #expect(subscription.transactions == 3)
            // A user sees the latest payments, neither the figures nor the panel nor the usage.
            var user = Browser()
            _ = try await user.logIn(email: DashboardWorld.user, client: client)
            let plain = try await user.get("/ui/", client: client).html
            #expect(!plain.contains("Needs attention") && !plain.contains("Success rate"))
            #expect(!plain.contains("Usage in"))
        }
        await world.gateway.close()
    }

    @Test func needsAttentionListsEachProblemWithWhereToAct() async throws {
        let world = try await DashboardWorld.make(payments: PaymentSettings(reconcileAfterMs: 0))
        let shortCode = ShortCodeID(randomBytes: [UInt8](repeating: 7, count: 16))
        let endpoint = WebhookEndpointID(randomBytes: [UInt8](repeating: 8, count: 16))
        try await Self.journal(
            [
                .shortCodeSaved(.init(
                    shortCodeID: shortCode, version: 1, label: "Main till", environment: "sandbox", shortCode: "600321",
                    kind: .paybill, tillNumber: nil, isDefault: false, hints: [:])),
                .shortCodeVerified(.init(shortCodeID: shortCode, ok: false, error: "Invalid credentials")),
                .webhookEndpointCreated(.init(
                    endpointID: endpoint, url: "https://hooks.acme.test/pesa", events: [], secretHint: "whsec_…abcd",
                    enabled: false)),
                .subscriptionUpdated(.init(status: .pastDue, reason: "unpaid")),
            ], in: world.acme, gateway: world.gateway)
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            let html = try await browser.get("/ui/", client: client).html
            #expect(html.contains("Needs attention"))
            #expect(!html.contains("Nothing needs attention."))
            #expect(html.contains("3 payments pending for more than 1 min"))
            #expect(html.contains("href=\"/ui/payments?status=pending\""))
            #expect(html.contains("Short code 600321 (Main till) failed its check"))
            #expect(html.contains("Invalid credentials"))
            #expect(html.contains("href=\"/ui/settings/credentials/\(shortCode.rawValue)\""))
            #expect(html.contains("Webhook endpoint https://hooks.acme.test/pesa is disabled."))
            #expect(html.contains("href=\"/ui/settings/webhooks/\(endpoint.rawValue)\""))
            #expect(html.contains("The subscription is past due"))
            #expect(html.contains("href=\"/ui/billing\""))
            // Pushes never accepted by M-Pesa expect no callback: no callback item.
            #expect(!html.contains("No callback from M-Pesa"))
        }
        await world.gateway.close()
    }

    @Test func theListFiltersByPhoneAndReceiptWithinTheOrganization() async throws {
        let world = try await DashboardWorld.make()
        let payment = try await DashboardWorld.journalPayment(
            in: world.acme, amount: 50_000, description: "Receipted", gateway: world.gateway)
        let settled = TenantEvent.paymentSettled(.init(
            paymentID: payment, resultCode: ResultCode(0), resultDesc: "ok", mpesaReceipt: "QAB1CD2EF3",
            source: .callback))
        try await Self.journal([settled], in: world.acme, gateway: world.gateway)
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            let rows = { (html: String) in html.components(separatedBy: "<a href=\"/ui/payments/pay_").count - 1 }
            let byPhone = try await browser.get("/ui/payments?phone=%2B254%20708%20374%20149", client: client)
            #expect(byPhone.status == .ok)
            #expect(rows(byPhone.html) == 4)
            #expect(byPhone.html.contains("id=\"f-phone\""))
            #expect(!byPhone.html.contains(world.globexPayment.rawValue))
            let other = try await browser.get("/ui/payments?phone=0711222333", client: client)
            #expect(other.html.contains("No payments match"))
            let byReceipt = try await browser.get("/ui/payments?receipt=qab1cd2ef3", client: client)
            #expect(rows(byReceipt.html) == 1)
            #expect(byReceipt.html.contains(payment.rawValue))
            #expect(byReceipt.html.contains("value=\"qab1cd2ef3\""))
            let badPhone = try await browser.get("/ui/payments?phone=12345", client: client)
            #expect(badPhone.status == .unprocessableContent)
            #expect(badPhone.html.contains("id=\"f-phone-error\""))
            let badReceipt = try await browser.get("/ui/payments?receipt=%3Cb%3E", client: client)
            #expect(badReceipt.status == .unprocessableContent)
            #expect(badReceipt.html.contains("id=\"f-receipt-error\""))
            #expect(badReceipt.html.contains("value=\"&lt;b&gt;\""))
        }
        await world.gateway.close()
    }
}
