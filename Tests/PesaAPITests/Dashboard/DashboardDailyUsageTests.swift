import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// The billing page's usage day by day (`GET /v1/usage/daily`'s counts): a bar chart and a table of a month
/// chosen with the API's `month`, and the operator's usage page linking each organization to it.
@Suite struct DashboardDailyUsageTests {
    @Test func theBillingPageChartsAndTablesTheMonthDayByDay() async throws {
        let world = try await DashboardWorld.make()
        let root = try DashboardWorld.root()
        let month = KenyaTime.monthKey(ms: world.gateway.wallClockMs)
        let usage = try await world.gateway.usage(month: month, in: world.acme, by: root)
        let today = try #require(usage.byDay.keys.sorted().last)
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let page = try await admin.get("/ui/billing", client: client)
            #expect(page.status == .ok)
            #expect(page.html.contains("<h2 id=\"daily\">Usage day by day</h2>"))
            #expect(page.html.contains("id=\"daily-month\" name=\"month\" type=\"month\" value=\"\(month)\""))
            // The chart: titled, both axes named, a bar a day of the month, today's exact count in its title.
            #expect(page.html.contains("<title id=\"chart-daily-title\">Transactions a day in \(month)</title>"))
            #expect(page.html.contains(">Day (Kenya time)</text>"))
            #expect(page.html.contains(">Transactions started</text>"))
            let range = try #require(KenyaTime.month(month))
            #expect(page.html.components(separatedBy: "<rect ").count - 1 == Int(KenyaTime.dayCount(of: range)))
            #expect(page.html.contains("<title>\(today): 3</title>"))
            // The table: today's row, Acme's three STK pushes.
            #expect(page.html.contains("<th class=\"n\">STK pushes</th>"))
            #expect(page.html.contains("<tr><td>\(today)</td><td class=\"n\">3</td><td class=\"n\">0</td>"))
            #expect(page.html.contains("<td class=\"n\">KES 0.00</td>"))
            #expect(page.html.components(separatedBy: "<title>").count == 2 + Int(KenyaTime.dayCount(of: range)))
            #expect(page.html.components(separatedBy: "<h1>").count == 2)

            // Another month: nothing metered, said in the chart and under it.
            let earlier = try #require(KenyaTime.month(before: month))
            let quiet = try await admin.get("/ui/billing?month=\(earlier)", client: client)
            #expect(quiet.status == .ok)
            #expect(quiet.html.contains("value=\"\(earlier)\""))
            #expect(quiet.html.contains("Nothing metered in \(earlier)"))
            #expect(quiet.html.contains("Nothing was metered in \(earlier)."))

            // A month that is not one: the error next to the selector, as typed.
            let bad = try await admin.get("/ui/billing?month=2026-13", client: client)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("id=\"daily-month-error\""))
            #expect(bad.html.contains("month must be YYYY-MM"))
            #expect(bad.html.contains("value=\"2026-13\""))
            #expect(!bad.html.contains("<svg"))
        }
    }

    @Test func theDailyUsageIsTheOrganizationsOwn() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        let globex = try await world.globex()
        let month = KenyaTime.monthKey(ms: world.gateway.wallClockMs)
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let foreign = try await admin.get("/ui/billing?org=\(globex.rawValue)&month=\(month)", client: client)
            #expect(foreign.status == .notFound)
            var user = try await Browser.signedIn(DashboardWorld.user, client: client)
            #expect(try await user.get("/ui/billing?month=\(month)", client: client).status == .forbidden)

            // The operator: every organization's row links to its month day by day, which it may read.
            var root = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            let usage = try await root.get("/ui/admin/usage?month=\(month)", client: client)
            let link = "/ui/billing?org=\(globex.rawValue)&amp;month=\(month)#daily"
            #expect(usage.html.contains("<a href=\"\(link)\">Day by day</a>"))
            let daily = try await root.get("/ui/billing?org=\(globex.rawValue)&month=\(month)", client: client)
            #expect(daily.status == .ok)
            #expect(daily.html.contains("<input type=\"hidden\" name=\"org\" value=\"\(globex.rawValue)\">"))
            #expect(daily.html.contains("<td class=\"n\">1</td>"))
        }
    }
}
