import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// `GET /ui/reports` and its CSV through the real router and engine: the API's summary drawn as totals and
/// charts, the API's CSV, the API's roles, one organization's payments only.
@Suite struct DashboardReportsTests {
    /// Acme's world plus two settled pushes: one succeeded (KES 10.00), one cancelled (KES 20.00).
    static func world() async throws -> DashboardWorld {
        let world = try await DashboardWorld.make()
        let engine = try await world.gateway.engine(world.acme)
        for (amount, code) in [(1_000, "0"), (2_000, "1032")] {
            let id = try await DashboardWorld.journalPayment(
                in: world.acme, amount: Int64(amount), description: "Settled", gateway: world.gateway)
            let events: [TenantEvent] = [
                .paymentSettled(
                    .init(
                        paymentID: id, resultCode: ResultCode(code), resultDesc: "Done",
                        mpesaReceipt: code == "0" ? "RCP\(amount)" : nil, source: .callback))
            ]
            try await engine.execute { (_, _) throws(EngineError) in Decision(events: events, value: ()) }
        }
        return world
    }

    static func api(_ path: String, browser: Browser, client: any TestClientProtocol) async throws -> TestResponse {
        let token = browser.cookies["pesa_session"] ?? ""
        return try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(token)"])
    }

    @Test func theReportShowsTheSummarysTotalsAndItsCharts() async throws {
        let world = try await Self.world()
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            let page = try await browser.get("/ui/reports", client: client)
            #expect(page.status == .ok)
            let html = page.html
            #expect(html.components(separatedBy: "<h1").count == 2)
            #expect(html.contains("<title>Reports"))
            #expect(html.contains("aria-current=\"page\">Reports</a>"))
            // The API's summary over the same payments (all of them are today's).
            let response = try await Self.api("/v1/reports/summary", browser: browser, client: client)
            let summary = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
            let json = summary as? [String: Any] ?? [:]
            #expect(json["count"] as? Int == 5)
            let cents = Int64((((json["volume"] as? NSNumber)?.doubleValue ?? 0) * 100).rounded())
            #expect(html.contains("<p class=\"big\">5</p>"))
            #expect(html.contains("<p class=\"big\">\(DashboardFormat.kes(minorUnits: cents))</p>"))
            #expect(cents == 123_450 * 6 + 3_000)
            #expect(json["success_rate"] as? Double == 0.5)
            #expect(html.contains("<p class=\"big\">50.00%</p>"))
            // Four charts: volume by day, counts by status, type and short code.
            #expect(html.components(separatedBy: "<svg ").count == 5)
            #expect(html.components(separatedBy: "role=\"img\"").count == 5)
            for heading in ["Volume by day", "Payments by status", "Payments by type", "Payments by short code"] {
                #expect(html.contains("<h2>\(heading)</h2>"))
            }
            #expect(html.contains(">succeeded: 1</title>"))
            #expect(html.contains(">cancelled: 1</title>"))
            #expect(html.contains(">pending: 3</title>"))
            #expect(html.contains(">stk_push: 5</title>"))
            #expect(html.contains(": \(DashboardFormat.kes(minorUnits: cents))</title>"))
            #expect(html.contains("No payments through a short code in this period"))
            #expect(!html.contains("style="))
            // The last 30 Kenya days by default, in the form and the CSV link.
            let today = KenyaTime.dayKey(ms: Int64(Date().timeIntervalSince1970 * 1000))
            let start = KenyaTime.dayKey(ms: Int64(Date().timeIntervalSince1970 * 1000) - 29 * 86_400_000)
            #expect(html.contains("name=\"from\" type=\"date\" value=\"\(start)\""))
            #expect(html.contains("name=\"to\" type=\"date\" value=\"\(today)\""))
            #expect(html.contains("href=\"/ui/reports/transactions.csv?from=\(start)&amp;to=\(today)\""))
        }
    }

    @Test func theCSVIsTheAPIsForTheSamePayments() async throws {
        let world = try await Self.world()
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            let page = try await browser.get("/ui/reports", client: client).html
            guard let start = page.range(of: "href=\"/ui/reports/transactions.csv?") else {
                Issue.record("no CSV link")
                return
            }
            let link = String(page[page.index(start.lowerBound, offsetBy: 6)...].prefix { $0 != "\"" })
                .replacingOccurrences(of: "&amp;", with: "&")
            let csv = try await browser.get(link, client: client)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(
                csv.headers[.contentDisposition] == "attachment; filename=\"transactions-\(world.acme.rawValue).csv\"")
            let api = try await Self.api("/v1/reports/transactions.csv", browser: browser, client: client)
            #expect(csv.html == api.html)
            #expect(csv.html.split(separator: "\n").count == 6)
            // Nothing outside the days asked for.
            let old = try await browser.get(
                "/ui/reports/transactions.csv?from=2020-01-01&to=2020-01-31", client: client)
            #expect(old.html.split(separator: "\n").count == 1)
            let bad = try await browser.get("/ui/reports/transactions.csv?from=2020-13-01", client: client)
            #expect(bad.status == .unprocessableContent)
        }
    }

    @Test func aBadDateOrShortCodeIsShownNextToItsField() async throws {
        let world = try await Self.world()
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            let bad = try await browser.get("/ui/reports?from=2026-02-30&to=soon", client: client)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("aria-describedby=\"from-error\""))
            #expect(bad.html.contains("<p class=\"error\" id=\"from-error\">Enter a date as YYYY-MM-DD"))
            #expect(bad.html.contains("<p class=\"error\" id=\"to-error\">Enter a date as YYYY-MM-DD"))
            #expect(bad.html.contains("value=\"2026-02-30\""))
            #expect(!bad.html.contains("<svg"))
            let reversed = try await browser.get("/ui/reports?from=2026-03-10&to=2026-03-01", client: client)
            #expect(reversed.html.contains("id=\"to-error\">The end date comes before the start date."))
            #expect(!reversed.html.contains("id=\"from-error\""))
            let long = try await browser.get("/ui/reports?from=2024-01-01&to=2026-01-01", client: client)
            #expect(long.html.contains("id=\"to-error\">Pick at most 366 days."))
            let code = try await browser.get("/ui/reports?short_code=%3Cb%3E999", client: client)
            #expect(code.status == .unprocessableContent)
            #expect(code.html.contains("id=\"short-code-error\">This organization has no short code"))
            #expect(code.html.contains("&lt;b&gt;999"))
            #expect(!code.html.contains("<b>999"))
            let empty = try await browser.get("/ui/reports?from=2020-01-01&to=2020-01-31", client: client)
            #expect(empty.status == .ok)
            #expect(empty.html.components(separatedBy: ">No payments in this period</text>").count == 5)
            #expect(empty.html.contains("No payment in this period is final yet."))
        }
    }

    @Test func aUserIsRefusedAsByTheAPIAndAnotherOrganizationIsNotFound() async throws {
        let world = try await Self.world()
        try await world.test { client in
            var user = Browser()
            _ = try await user.logIn(email: DashboardWorld.user, client: client)
            let apiSummary = try await Self.api("/v1/reports/summary", browser: user, client: client)
            let apiCSV = try await Self.api("/v1/reports/transactions.csv", browser: user, client: client)
            #expect(apiSummary.status == .forbidden)
            let page = try await user.get("/ui/reports", client: client)
            #expect(page.status == apiSummary.status)
            #expect(page.html.components(separatedBy: "<h1").count == 2)
            #expect(!page.html.contains("<svg"))
            #expect(try await user.get("/ui/reports/transactions.csv", client: client).status == apiCSV.status)
            #expect(!(try await user.get("/ui/", client: client)).html.contains("href=\"/ui/reports\""))
            var admin = Browser()
            _ = try await admin.logIn(email: DashboardWorld.admin, client: client)
            #expect(try await admin.get("/ui/", client: client).html.contains("href=\"/ui/reports\""))
            let foreign = try await admin.get("/ui/reports?org=org_0000000000000000000000000", client: client)
            #expect(foreign.status == .notFound)
            let foreignCSV = try await admin.get(
                "/ui/reports/transactions.csv?org=org_0000000000000000000000000", client: client)
            #expect(foreignCSV.status == .notFound)
            // Globex's one payment (KES 50.00) is in neither.
            let report = try await admin.get("/ui/reports", client: client).html
            #expect(!report.contains("KES 50.00"))
            #expect(report.contains("<p class=\"big\">5</p>"))
            let csv = try await admin.get("/ui/reports/transactions.csv", client: client).html
            #expect(!csv.contains(",50.00,"))
        }
    }
}
