import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// The billing page (subscription, usage, invoices and their printable pages, the M-Pesa pay form) and the
/// audit log (filters, paging, the hash chain's verification).
@Suite struct DashboardBillingAuditTests {
    /// Drafts of this month's invoices for both organizations; Acme's and Globex's.
    static func invoices(_ world: DashboardWorld) async throws -> (acme: Invoice, globex: Invoice) {
        let root = try DashboardWorld.root()
        let month = KenyaTime.monthKey(ms: world.gateway.wallClockMs)
        _ = try await world.gateway.runBilling(month: month, finalizeNow: false, by: root)
        let acme = try #require(try await world.gateway.invoices(in: world.acme, by: root).first)
        let globex = try #require(try await world.gateway.invoices(in: try await world.globex(), by: root).first)
        return (acme, globex)
    }

    @Test func theBillingPageShowsThePlanUsageAndInvoices() async throws {
        let world = try await DashboardWorld.make()
        let (acme, globex) = try await Self.invoices(world)
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let page = try await admin.get("/ui/billing", client: client)
            #expect(page.status == .ok)
            #expect(page.html.contains("<h1>Billing</h1>"))
            #expect(page.html.contains("<p class=\"big\">business</p>"))
            #expect(page.html.contains("API calls"))
            #expect(page.html.contains("Transactions (STK pushes and payouts)"))
            #expect(page.html.contains("href=\"/ui/billing/invoices/\(acme.id.rawValue)\""))
            #expect(page.html.contains(DashboardFormat.kes(acme.total)))
            #expect(!page.html.contains(globex.id.rawValue))
            let document = try await admin.get("/ui/billing/invoices/\(acme.id.rawValue)", client: client)
            #expect(document.status == .ok)
            #expect(document.html.contains("Billed to: <strong>Acme Traders</strong>"))
            #expect(document.headers[.contentSecurityPolicy]?.contains("style-src 'unsafe-inline'") == true)
            #expect(document.headers[.contentSecurityPolicy]?.contains("script") == false)
            let foreign = try await admin.get("/ui/billing/invoices/\(globex.id.rawValue)", client: client)
            #expect(foreign.status == .notFound)
            #expect(foreign.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'; style-src 'self';") == true)
            let token = Browser.csrfToken(in: page.html) ?? ""
            let pay = try await admin.post(
                "/ui/billing/invoices/\(globex.id.rawValue)/pay",
                form: [("csrf_token", token), ("phone", "0708374149")], client: client)
            #expect(pay.status == .notFound)
        }
    }

    @Test func aDraftInvoiceCannotBePaidAndSaysWhy() async throws {
        let world = try await DashboardWorld.make()
        let (acme, _) = try await Self.invoices(world)
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let page = try await admin.get("/ui/billing", client: client)
            let refused = try await admin.post(
                "/ui/billing/invoices/\(acme.id.rawValue)/pay",
                form: [("csrf_token", Browser.csrfToken(in: page.html) ?? ""), ("phone", "0708374149")],
                client: client)
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("is a draft until the month"))
            #expect(refused.html.contains("<h1>Billing</h1>"))
        }
    }

    /// The subscription form: a cheaper plan from the next period, a dearer one at once, the end-of-period
    /// cancellation; an unknown plan is refused with its message, a user and a form without its token change
    /// nothing. The invoice's CSV is the API's, and another organization's is a 404.
    @Test func theSubscriptionIsChangedFromTheFormAndAnInvoiceDownloadedAsCSV() async throws {
        let world = try await DashboardWorld.make()
        let (acme, globex) = try await Self.invoices(world)
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            var page = try await admin.get("/ui/billing", client: client)
            #expect(page.html.contains("<option value=\"business\" selected>business"))
            let token = Browser.csrfToken(in: page.html) ?? ""
            func change(_ form: [(String, String)]) async throws -> TestResponse {
                try await admin.post("/ui/billing/subscription", form: [("csrf_token", token)] + form, client: client)
            }
            #expect(try await change([("plan", "starter"), ("at_period_end", "keep")]).status == .seeOther)
            page = try await admin.get("/ui/billing", client: client)
            #expect(page.html.contains("From the next period: starter."))
            #expect(page.html.contains("<p class=\"big\">business</p>"))  // the cheaper plan waits for the period's end
            #expect(try await change([("plan", "enterprise"), ("at_period_end", "cancel")]).status == .seeOther)
            page = try await admin.get("/ui/billing", client: client)
            #expect(page.html.contains("<p class=\"big\">enterprise</p>"))
            #expect(page.html.contains("The subscription ends with this period."))
            let unknown = try await change([("plan", "platinum")])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.html.contains("unknown plan"))
            let refused = try await admin.post(
                "/ui/billing/subscription", form: [("plan", "free")], client: client)
            #expect(refused.status == .forbidden)
            let csv = try await admin.get("/ui/billing/invoices/\(acme.id.rawValue)/csv", client: client)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.html.split(separator: "\n").count >= 2)
            #expect(
                try await admin.get("/ui/billing/invoices/\(globex.id.rawValue)/csv", client: client).status
                    == .notFound)
            var user = try await Browser.signedIn(DashboardWorld.user, client: client)
            let home = try await user.get("/ui/", client: client)
            let forbidden = try await user.post(
                "/ui/billing/subscription",
                form: [("csrf_token", Browser.csrfToken(in: home.html) ?? ""), ("plan", "free")],
                client: client)
            #expect(forbidden.status == .forbidden)
        }
        let after = try await world.gateway.subscription(in: world.acme, by: try DashboardWorld.root())
        #expect(after.plan.name == "enterprise" && after.record.cancelAtPeriodEnd)
    }

    @Test func theAuditLogIsFilteredPagedAndItsChainVerified() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let page = try await admin.get("/ui/audit", client: client)
            #expect(page.status == .ok)
            #expect(page.html.contains("The hash chain is intact"))
            #expect(page.html.contains("<td>user.create</td>"))
            #expect(page.html.contains("<td>auth.login</td>"))
            let filtered = try await admin.get("/ui/audit?action=auth.login", client: client)
            #expect(filtered.html.contains("<td>auth.login</td>"))
            #expect(!filtered.html.contains("<td>user.create</td>"))
            #expect(filtered.html.contains("value=\"auth.login\""))
            let bad = try await admin.get("/ui/audit?from=last%20week&action=user.create", client: client)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("id=\"f-from-error\""))
            #expect(bad.html.contains("value=\"last week\""))
            // Paging: more entries than a page holds give a next page that goes on from the last one shown.
            let root = try DashboardWorld.root()
            for index in 0..<60 {
                _ = try await world.gateway.createAPIKey(
                    in: world.acme, name: "key \(index)", role: .user, environment: "sandbox",
                    keyHash: String(repeating: "a", count: 62) + String(format: "%02d", index), keyHint: "h",
                    by: root)
            }
            let first = try await admin.get("/ui/audit?action=api_key.create", client: client)
            #expect(first.html.components(separatedBy: "<td>api_key.create</td>").count == 51)
            let next = try #require(first.html.range(of: "rel=\"next\"")).lowerBound
            let href = first.html[..<next].components(separatedBy: "href=\"").last?.prefix { $0 != "\"" } ?? ""
            let second = try await admin.get(
                String(href).replacingOccurrences(of: "&amp;", with: "&"), client: client)
            #expect(second.html.components(separatedBy: "<td>api_key.create</td>").count == 11)
            #expect(second.html.contains("First page"))
        }
    }
}
