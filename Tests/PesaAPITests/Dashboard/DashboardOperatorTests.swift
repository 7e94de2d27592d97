import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// The operator's pages under `/ui/admin/` through the real router and engine: each one for a super admin, the
/// forbidden page for everyone else, escaping and CSRF.
@Suite struct DashboardOperatorTests {
    static let operatorPages = [
        "/ui/admin/orgs", "/ui/admin/plans", "/ui/admin/plans/starter", "/ui/admin/usage", "/ui/admin/billing",
        "/ui/admin/health",
    ]

    @Test func everyOperatorPageRendersForASuperAdmin() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        try await world.test { client in
            var root = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            let orgs = try await root.get("/ui/admin/orgs", client: client)
            #expect(orgs.status == .ok)
            #expect(orgs.html.contains("<h1>Organizations</h1>"))
            #expect(orgs.html.contains("<a href=\"/ui/admin/orgs/\(world.acme.rawValue)\">Acme Traders</a>"))
            #expect(orgs.html.contains("<td>globex</td><td>free</td>"))
            #expect(orgs.html.contains("<td>business</td>"))
            #expect(orgs.html.contains("action=\"/ui/admin/orgs\""))
            #expect(orgs.html.contains("<option value=\"enterprise\">"))
            // The operator's menu, this page marked.
            #expect(orgs.html.contains("<a href=\"/ui/admin/orgs\" aria-current=\"page\">Organizations</a>"))
            for (href, label) in [
                ("/ui/admin/plans", "Plans"), ("/ui/admin/usage", "Usage"), ("/ui/admin/billing", "Billing runs"),
                ("/ui/admin/health", "Health"),
            ] {
                #expect(orgs.html.contains("<a href=\"\(href)\">\(label)</a>"))
            }
            #expect(!orgs.html.contains("<a href=\"/ui/settings\">"))

            let acme = try await root.get("/ui/admin/orgs/\(world.acme.rawValue)", client: client)
            #expect(acme.status == .ok)
            #expect(acme.html.contains("<h1>Acme Traders</h1>"))
            #expect(acme.html.contains("business (KES 10,000.00 a month)"))
            #expect(acme.html.contains("<a href=\"/ui/payments?org=\(world.acme.rawValue)\">Payments</a>"))
            #expect(acme.html.contains("<a href=\"/ui/settings/users?org=\(world.acme.rawValue)\">Users</a>"))
            #expect(acme.html.contains("The plan's: 1200 a minute, bursts of 1200."))
            #expect(acme.html.contains("EAT"))

            let plans = try await root.get("/ui/admin/plans", client: client)
            #expect(plans.status == .ok)
            #expect(plans.html.contains("<a href=\"/ui/admin/plans/starter\">starter</a>"))
            #expect(plans.html.contains("<td class=\"n\">KES 2,500.00</td>"))
            #expect(plans.html.contains("<td class=\"n\">20000</td>"))
            #expect(plans.html.contains("<h2>Add a plan</h2>"))
            let starter = try await root.get("/ui/admin/plans/starter", client: client)
            #expect(starter.html.contains("<h1>Plan starter</h1>"))
            #expect(starter.html.contains("value=\"2,500.00\""))

            let usage = try await root.get("/ui/admin/usage", client: client)
            #expect(usage.status == .ok)
            #expect(usage.html.contains("<h2>\(KenyaTime.monthKey(ms: world.gateway.wallClockMs))</h2>"))
            #expect(usage.html.contains(">Acme Traders</a>"))
            #expect(usage.html.contains("Total (2 organizations)"))
            let badMonth = try await root.get("/ui/admin/usage?month=2026-13", client: client)
            #expect(badMonth.status == .unprocessableContent)
            #expect(badMonth.html.contains("id=\"month-error\""))
            #expect(badMonth.html.contains("value=\"2026-13\""))

            let billing = try await root.get("/ui/admin/billing", client: client)
            #expect(billing.status == .ok)
            #expect(billing.html.contains("<h1>Billing runs</h1>"))
            #expect(billing.html.contains("action=\"/ui/admin/billing/runs\""))
            #expect(billing.html.contains("No numbered invoice."))

            let health = try await root.get("/ui/admin/health", client: client)
            #expect(health.status == .ok)
            #expect(health.html.contains("Ready: the data folder takes durable writes"))
            #expect(health.html.contains("<dt>Organizations</dt><dd>2</dd>"))
            #expect(health.html.contains("<dt>Fenced organizations</dt><dd>0</dd>"))
            #expect(health.html.contains("<dt>API version</dt><dd>1.0.0</dd>"))
        }
    }

    @Test func anOrgAdminGetsTheForbiddenPageOnEveryOperatorPage() async throws {
        let world = try await DashboardWorld.make()
        let globex = try await world.globex()
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let overview = try await admin.get("/ui/", client: client)
            #expect(!overview.html.contains("/ui/admin/"))
            for uri in Self.operatorPages + [
                "/ui/admin/orgs/\(world.acme.rawValue)", "/ui/admin/orgs/\(globex.rawValue)",
            ] {
                let page = try await admin.get(uri, client: client)
                #expect(page.status == .forbidden, "\(uri)")
                #expect(page.html.contains("<h1>Forbidden</h1>"), "\(uri)")
            }
            let token = Browser.csrfToken(in: overview.html) ?? ""
            let posts: [(String, [(String, String)])] = [
                ("/ui/admin/orgs", [("name", "Mine"), ("slug", "mine"), ("plan", "free")]),
                (
                    "/ui/admin/orgs/\(world.acme.rawValue)/subscription",
                    [("subscription_status", "active"), ("reason", "mine")]
                ),
                ("/ui/admin/orgs/\(world.acme.rawValue)/plan", [("plan", "enterprise")]),
                ("/ui/admin/billing/runs", [("month", KenyaTime.monthKey(ms: world.gateway.wallClockMs))]),
                ("/ui/admin/plans", [("name", "mine"), ("monthly_fee", "1")]),
            ]
            for (uri, fields) in posts {
                let post = try await admin.post(uri, form: [("csrf_token", token)] + fields, client: client)
                #expect(post.status == .forbidden, "\(uri)")
            }
            let root = try DashboardWorld.root()
            #expect(try await world.gateway.organizations(by: root).views.count == 2)
            #expect(try await world.gateway.organization(world.acme, by: root).record.plan == "business")
            #expect(try await world.gateway.invoices(in: world.acme, by: root).isEmpty)
        }
        // A user too.
        try await world.test { client in
            var user = try await Browser.signedIn(DashboardWorld.user, client: client)
            for uri in Self.operatorPages {
                #expect(try await user.get(uri, client: client).status == .forbidden, "\(uri)")
            }
        }
    }

    @Test func aScriptInAnOrganizationNameIsShownAsText() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        let evil = try await world.gateway.createOrganization(
            name: DashboardWorld.script, slug: "evil", plan: "free", by: try DashboardWorld.root())
        try await world.test { client in
            var root = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            for uri in ["/ui/admin/orgs", "/ui/admin/orgs/\(evil.record.id.rawValue)", "/ui/admin/usage"] {
                let page = try await root.get(uri, client: client)
                #expect(page.status == .ok, "\(uri)")
                #expect(!page.html.contains(DashboardWorld.script), "\(uri)")
                #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(uri)")
                #expect(!page.html.contains("<script"), "\(uri)")
            }
        }
    }

    @Test func operatorFormsWithoutTheirCSRFTokenAreRefused() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        try await world.test { client in
            var root = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            let posts: [(String, [(String, String)])] = [
                ("/ui/admin/orgs", [("name", "Initech"), ("slug", "initech"), ("plan", "free")]),
                (
                    "/ui/admin/orgs/\(world.acme.rawValue)/subscription",
                    [("subscription_status", "suspended"), ("reason", "unpaid")]
                ),
                ("/ui/admin/billing/runs", [("month", KenyaTime.monthKey(ms: world.gateway.wallClockMs))]),
            ]
            for (uri, fields) in posts {
                for token in [[], [("csrf_token", "forged")]] {
                    let post = try await root.post(uri, form: token + fields, client: client)
                    #expect(post.status == .forbidden, "\(uri)")
                    #expect(post.html.contains("Form refused"), "\(uri)")
                }
            }
            let admin = try DashboardWorld.root()
            #expect(try await world.gateway.organizations(by: admin).views.count == 2)
            #expect(try await world.gateway.subscription(in: world.acme, by: admin).status != .suspended)
            #expect(try await world.gateway.invoices(in: world.acme, by: admin).isEmpty)
        }
    }
}

extension DashboardWorld {
    static let operatorEmail = "root@pesa.example"

    /// The instance's super admin, who logs in with `password`.
    func makeOperator() async throws {
        let hash = try await api.passwordHasher.hash(Self.password)
        _ = try await gateway.createSuperAdmin(email: Self.operatorEmail, passwordHash: hash)
    }
}
