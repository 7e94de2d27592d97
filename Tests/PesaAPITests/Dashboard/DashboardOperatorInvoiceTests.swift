import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PesaAPI
import PesaCore
import PesaEngine
import PesaStore
import PesaTesting
import Prometheus
import Synchronization
import Testing

/// The instance's invoices on the operator's billing page: an ended month finalized, its open invoice voided or
/// marked paid only with the reason or reference the use cases require.
@Suite struct DashboardOperatorInvoiceTests {
    final class SetClock: WallClock {
        let ms: Mutex<Int64>
        init(_ ms: Int64) { self.ms = Mutex(ms) }
        func nowMs() -> Int64 { ms.withLock { $0 } }
        func set(_ value: Int64) { ms.withLock { $0 = value } }
    }

    @Test func anOpenInvoiceIsVoidedOrMarkedPaidOnlyWithItsReasonOrReference() async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let january = try #require(KenyaTime.month("2026-01"))
        let clock = SetClock(january.startMs + 86_400_000)
        let gateway = try await Gateway.start(
            data: DataDirectory(root: "/data", io: SimulatedFileIO(seed: 7)), masterKey: .generate(), clock: clock,
            logger: logger)
        let api = await GatewayAPI.make(
            gateway: gateway, metricsRegistry: PrometheusCollectorRegistry(), bcryptCost: 4)
        let root = try DashboardWorld.root()
        _ = try await gateway.createPlan(
            Plan(
                name: "monthly", monthlyFee: Amount(minorUnits: 150_000), includedCalls: 10,
                overageFeePerCall: .zero, rateLimitPerMinute: 60, trialDays: 0), by: root)
        let shop = try await gateway.createOrganization(name: "Duka", slug: "duka", plan: "monthly", by: root)
        _ = try await gateway.createSuperAdmin(
            email: DashboardWorld.operatorEmail,
            passwordHash: try await api.passwordHasher.hash(DashboardWorld.password))
        clock.set(january.endMs + 86_400_000)
        _ = try await gateway.runBilling(month: "2026-01", finalizeNow: true, by: root)
        let invoice = try #require(try await gateway.allInvoices(month: "2026-01", status: .open, by: root).first)
        #expect(invoice.total > .zero)
        let app = Application(router: api.buildRouter(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            var browser = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            let page = try await browser.get("/ui/admin/billing?month=2026-01", client: client)
            #expect(page.html.contains("<td>\(invoice.number ?? "?")</td><td>Duka</td><td>2026-01</td>"))
            #expect(page.html.contains("<td class=\"n\">\(DashboardFormat.kes(invoice.total))</td>"))
            let action = "/ui/admin/billing/invoices/\(invoice.id.rawValue)"
            let noReason = try await browser.submit(
                "/ui/admin/billing", to: action + "/void", fields: [("reason", " ")], client: client)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.html.contains("id=\"reason-\(invoice.id.rawValue)-error\""))
            let noReference = try await browser.submit(
                "/ui/admin/billing", to: action + "/mark-paid", fields: [("reference", "")], client: client)
            #expect(noReference.status == .unprocessableContent)
            #expect(noReference.html.contains("id=\"reference-\(invoice.id.rawValue)-error\""))
            #expect(
                try await gateway.invoices(in: shop.record.id, by: root).first { $0.id == invoice.id }?.status == .open)
            let form = try await browser.get("/ui/admin/billing", client: client).html
            let fields = [
                ("csrf_token", Browser.csrfToken(in: form) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: form) ?? ""), ("reference", "BANK-991"),
            ]
            let paid = try await browser.post(action + "/mark-paid", form: fields, client: client)
            #expect(paid.status == .seeOther)
            #expect(paid.headers[.location] == "/ui/admin/billing?done=paid")
            // The same form again is that answer, not a conflict.
            let again = try await browser.post(action + "/mark-paid", form: fields, client: client)
            #expect(again.status == .seeOther)
            let settled = try await gateway.invoices(in: shop.record.id, by: root).first { $0.id == invoice.id }
            #expect(settled?.status == .paid)
            #expect(settled?.payment?.reference == "BANK-991")
        }
    }
}
