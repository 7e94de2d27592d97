import DarajaSandbox
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PesaAPI
import PesaCore
import PesaEngine
import PesaStore
import PesaTesting
import Prometheus
import Testing

/// The payment pages through the real router and engine: the list with its filters and pages, a payment with
/// its timeline, the STK push form's errors, CSRF and idempotency.
@Suite struct DashboardPaymentsTests {
    @Test func theListShowsFormattedLinkedRowsAndFilters() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.user, client: client)
            let list = try await browser.get("/ui/payments", client: client)
            #expect(list.status == .ok)
            #expect(list.html.contains("<title>Payments"))
            #expect(list.html.components(separatedBy: "<h1").count == 2)
            #expect(list.html.contains("KES 1,234.50"))
            #expect(list.html.contains("KES 3,703.50"))
            #expect(list.html.contains("&lt;script&gt;"))
            #expect(!list.html.contains(DashboardWorld.script))
            #expect(list.html.components(separatedBy: "<a href=\"/ui/payments/pay_").count == 4)
            // A user may push: the list links to the form.
            #expect(list.html.contains("href=\"/ui/payments/new\""))
            let failed = try await browser.get("/ui/payments?status=failed", client: client)
            #expect(failed.html.contains("No payments match"))
            #expect(failed.html.contains("<option value=\"failed\" selected>"))
            let today = DashboardFormat.kenyaTime(ms: world.gateway.wallClockMs).prefix(10)
            let fromToday = try await browser.get(
                "/ui/payments?status=pending&from=\(today)&to=\(today)", client: client)
            #expect(fromToday.html.components(separatedBy: "<a href=\"/ui/payments/pay_").count == 4)
            let tomorrow = DashboardFormat.kenyaTime(ms: world.gateway.wallClockMs + 86_400_000).prefix(10)
            let later = try await browser.get("/ui/payments?from=\(tomorrow)", client: client)
            #expect(later.html.contains("No payments match"))
            #expect(later.html.contains("value=\"\(tomorrow)\""))
        }
    }

    @Test func aBadFilterShowsAMessageNextToItNotAnError() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            let status = try await browser.get("/ui/payments?status=%3Cb%3Ebogus", client: client)
            #expect(status.status == .unprocessableContent)
            #expect(status.html.contains("id=\"f-status-error\""))
            #expect(status.html.contains("status must be one of"))
            #expect(status.html.contains("value=\"&lt;b&gt;bogus\""))
            let date = try await browser.get("/ui/payments?from=yesterday", client: client)
            #expect(date.status == .unprocessableContent)
            #expect(date.html.contains("id=\"f-from-error\""))
            #expect(date.html.contains("from must be a date such as"))
            let order = try await browser.get("/ui/payments?from=2026-02-02&to=2026-02-01", client: client)
            #expect(order.html.contains("from must not be after to"))
            let shortCode = try await browser.get("/ui/payments?short_code=999999", client: client)
            #expect(shortCode.status == .unprocessableContent)
            #expect(shortCode.html.contains("id=\"f-short_code-error\""))
            let cursor = try await browser.get("/ui/payments?cursor=%21%21", client: client)
            #expect(cursor.status == .unprocessableContent)
            #expect(cursor.html.contains("page link"))
        }
    }

    @Test func pagesGoForwardAndBackKeepingTheFilters() async throws {
        let world = try await DashboardWorld.make()
        for index in 0..<25 {
            _ = try await DashboardWorld.journalPayment(
                in: world.acme, amount: Int64(100 * (index + 1)), description: "Bulk \(index)", gateway: world.gateway)
        }
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            let first = try await browser.get("/ui/payments?status=pending", client: client)
            #expect(first.html.components(separatedBy: "<a href=\"/ui/payments/pay_").count == 26)
            #expect(!first.html.contains("rel=\"prev\""))
            let next = try #require(Self.link(in: first.html, rel: "next"))
            #expect(next.contains("status=pending"))
            let second = try await browser.get(next, client: client)
            #expect(second.status == .ok)
            #expect(second.html.components(separatedBy: "<a href=\"/ui/payments/pay_").count == 4)
            #expect(!second.html.contains("rel=\"next\""))
            let previous = try #require(Self.link(in: second.html, rel: "prev"))
            #expect(previous.contains("status=pending"))
            let back = try await browser.get(previous, client: client)
            #expect(back.html.components(separatedBy: "<a href=\"/ui/payments/pay_").count == 26)
        }
    }

    @Test func theDetailShowsTheTimelineWithTheRawCallbackEscaped() async throws {
        let world = try await DashboardWorld.make()
        let id = try await DashboardWorld.journalPayment(
            in: world.acme, amount: 10_000, description: "Callback", gateway: world.gateway)
        let engine = try await world.gateway.engine(world.acme)
        let body = #"{"Body":{"note":"<img src=x onerror=alert(1)>"}}"#
        let events: [TenantEvent] = [
            .callbackReceived(.init(kind: .stk, body: body, disposition: .matched, paymentID: id))
        ]
        try await engine.execute { (_, _) throws(EngineError) in Decision(events: events, value: ()) }
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.user, client: client)
            let page = try await browser.get("/ui/payments/\(id.rawValue)", client: client)
            #expect(page.status == .ok)
            #expect(page.html.components(separatedBy: "<h1").count == 2)
            #expect(page.html.contains("<title>Payment \(id.rawValue)"))
            #expect(page.html.contains("KES 100.00"))
            #expect(page.html.contains("STK push requested"))
            #expect(page.html.contains("Callback received"))
            #expect(page.html.contains("&lt;img src=x onerror=alert(1)&gt;"))
            #expect(!page.html.contains("<img src=x"))
            // Pending: the page refreshes itself, without script.
            #expect(page.html.contains("<meta http-equiv=\"refresh\" content=\"5\">"))
            #expect(!page.html.contains("<script"))
            let foreign = try await browser.get("/ui/payments/\(world.globexPayment.rawValue)", client: client)
            #expect(foreign.status == .notFound)
        }
    }

    @Test func theFormKeepsWhatWasTypedAndNamesTheFieldInError() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.user, client: client)
            let form = try await browser.get("/ui/payments/new", client: client)
            #expect(form.status == .ok)
            #expect(form.html.components(separatedBy: "<h1").count == 2)
            #expect(form.html.contains("no short code that can send an STK push"))
            let token = try #require(Browser.csrfToken(in: form.html))
            let key = try #require(Self.value(of: "idempotency_key", in: form.html))
            var fields = [
                ("csrf_token", token), ("idempotency_key", key), ("phone", "0708374149"), ("amount", "ten"),
                ("account_reference", "INV-<9>"), ("description", "Order"),
            ]
            let amount = try await browser.post("/ui/payments/new", form: fields, client: client)
            #expect(amount.status == .unprocessableContent)
            #expect(amount.html.contains("id=\"amount-error\""))
            #expect(amount.html.contains("value=\"ten\""))
            #expect(amount.html.contains("value=\"INV-&lt;9&gt;\""))
            fields[2] = ("phone", "12345")
            fields[3] = ("amount", "100")
            let phone = try await browser.post("/ui/payments/new", form: fields, client: client)
            #expect(phone.status == .unprocessableContent)
            #expect(phone.html.contains("id=\"phone-error\""))
            #expect(phone.html.contains("value=\"12345\""))
            // Valid input, no M-Pesa credentials: a clear refusal on the form, nothing recorded.
            fields[2] = ("phone", "0708374149")
            let reference = try await browser.post("/ui/payments/new", form: fields, client: client)
            #expect(reference.html.contains("id=\"account_reference-error\""))
            fields[4] = ("account_reference", "INV-9")
            let missing = try await browser.post("/ui/payments/new", form: fields, client: client)
            #expect(missing.status.code >= 400)
            #expect(missing.html.contains("role=\"alert\""))
            #expect(missing.html.contains("short code"))
            let without = try await browser.post("/ui/payments/new", form: Array(fields.dropFirst()), client: client)
            #expect(without.status == .forbidden)
        }
    }

    @Test func aDoubleSubmitMakesOnePushAndLandsOnItsPage() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        try await SandboxServices.run(logLevel: .critical) { services in
            let upstream = UpstreamClients(httpClient: services.httpClient, logger: logger)
            upstream.setSandboxBaseURL(services.baseURL)
            try upstream.setCertificate(pem: services.sandbox.certificatePEM, for: "sandbox")
            let gateway = try await Gateway.start(
                data: DataDirectory(root: "/data", io: SimulatedFileIO(seed: 31)), masterKey: .generate(),
                payments: PaymentSettings(publicURL: services.callbackBase), upstream: upstream, logger: logger)
            let api = await GatewayAPI.make(
                gateway: gateway, metricsRegistry: PrometheusCollectorRegistry(), bcryptCost: 4)
            let root = Actor(
                principal: try Principal(role: .superAdmin, organizationID: nil), id: "usr_root", requestID: "req_t")
            let acme = try await gateway.createOrganization(name: "Acme", slug: "acme", plan: "business", by: root)
            _ = try await gateway.putCredentials(
                ReversalAmountTests.sandboxCredentials(), in: acme.record.id, by: root)
            let hash = try await api.passwordHasher.hash(DashboardWorld.password)
            _ = try await gateway.createUser(
                in: acme.record.id, email: DashboardWorld.user, passwordHash: hash, role: .user, by: root)
            let app = Application(router: api.buildRouter(), logger: logger)
            try await app.test(.router) { client in
                var browser = Browser()
                _ = try await browser.logIn(email: DashboardWorld.user, client: client)
                let form = try await browser.get("/ui/payments/new", client: client)
                #expect(form.html.contains("SANDBOX"))
                let token = try #require(Browser.csrfToken(in: form.html))
                let key = try #require(Self.value(of: "idempotency_key", in: form.html))
                let fields = [
                    ("csrf_token", token), ("idempotency_key", key), ("phone", "0708374149"), ("amount", "10"),
                    ("account_reference", "INV-1"), ("description", "Order 1"),
                ]
                let first = try await browser.post("/ui/payments/new", form: fields, client: client)
                #expect(first.status == .seeOther, "\(first.html)")
                let second = try await browser.post("/ui/payments/new", form: fields, client: client)
                #expect(second.status == .seeOther)
                let location = try #require(first.headers[.location])
                #expect(second.headers[.location] == location)
                #expect(location.hasPrefix("/ui/payments/pay_"))
                let page = try await browser.get(location, client: client)
                #expect(page.status == .ok)
                #expect(page.html.contains("KES 10.00"))
            }
            let count = try await gateway.engine(acme.record.id).read {
                $0.payments.list(PaymentFilter()).payments.count
            }
            #expect(count == 1)
            await gateway.close()
        }
    }

    static func link(in html: String, rel: String) -> String? {
        guard let end = html.range(of: "\" rel=\"\(rel)\"") else { return nil }
        let before = html[..<end.lowerBound]
        guard let start = before.range(of: "href=\"", options: .backwards) else { return nil }
        return String(before[start.upperBound...]).replacingOccurrences(of: "&amp;", with: "&")
    }

    static func value(of name: String, in html: String) -> String? {
        guard let start = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }
}
