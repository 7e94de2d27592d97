import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// The operator's forms: an organization made once per form, its subscription status set only with a reason
/// (audited), its rate limit, a plan added, and a billing run with its result.
@Suite struct DashboardOperatorFormTests {
    @Test func theOrganizationFormCreatesExactlyOneOnADoubleSubmit() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        try await world.test { client in
            var root = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            let form = try await root.get("/ui/admin/orgs", client: client).html
            let fields = [
                ("csrf_token", Browser.csrfToken(in: form) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: form) ?? ""),
                ("name", "Initech Ltd"), ("slug", "initech"), ("plan", "starter"),
            ]
            let first = try await root.post("/ui/admin/orgs", form: fields, client: client)
            #expect(first.status == .seeOther)
            let location = try #require(first.headers[.location])
            #expect(location.hasPrefix("/ui/admin/orgs/org_"))
            #expect(location.hasSuffix("?done=created"))
            let again = try await root.post("/ui/admin/orgs", form: fields, client: client)
            #expect(again.status == .seeOther)
            #expect(again.headers[.location] == location)
            let (views, _) = try await world.gateway.organizations(by: try DashboardWorld.root())
            #expect(views.count == 3)
            let made = try #require(views.first { $0.record.slug.rawValue == "initech" })
            #expect(made.record.name == "Initech Ltd")
            #expect(made.record.plan == "starter")
            let page = try await root.get(location, client: client)
            #expect(page.html.contains("<h1>Initech Ltd</h1>"))
            #expect(page.html.contains("Add its first org_admin on its users page."))
            #expect(page.html.contains("href=\"/ui/settings/users?org=\(made.record.id.rawValue)\""))

            // A slug taken: the error next to the slug, what was typed kept, nothing made.
            let taken = try await root.submit(
                "/ui/admin/orgs", fields: [("name", "Acme Again"), ("slug", "acme"), ("plan", "free")],
                client: client)
            #expect(taken.status == .conflict)
            #expect(taken.html.contains("id=\"slug-error\""))
            #expect(taken.html.contains("value=\"Acme Again\""))
            #expect(try await world.gateway.organizations(by: try DashboardWorld.root()).views.count == 3)
        }
    }

    @Test func suspendingNeedsAReasonAndIsAudited() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        let root = try DashboardWorld.root()
        let page = "/ui/admin/orgs/\(world.acme.rawValue)"
        try await world.test { client in
            var browser = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            let before = try await world.gateway.subscription(in: world.acme, by: root).status
            let refused = try await browser.submit(
                page, to: page + "/subscription", fields: [("subscription_status", "suspended"), ("reason", "  ")],
                client: client)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("id=\"reason-error\""))
            #expect(refused.html.contains("needs a reason"))
            #expect(refused.html.contains("<option value=\"suspended\" selected>"))
            #expect(try await world.gateway.subscription(in: world.acme, by: root).status == before)

            let reason = "Unpaid since March <b>"
            let done = try await browser.submit(
                page, to: page + "/subscription", fields: [("subscription_status", "suspended"), ("reason", reason)],
                client: client)
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == page + "?done=subscription")
            #expect(try await world.gateway.subscription(in: world.acme, by: root).status == .suspended)
            let shown = try await browser.get(page + "?done=subscription", client: client)
            #expect(shown.html.contains("<dd>suspended: Unpaid since March &lt;b&gt;</dd>"))
            // Reactivating is offered next.
            #expect(shown.html.contains("<option value=\"active\" selected>"))
            let audit = try await world.gateway.auditLog(
                in: world.acme, after: 0, limit: 100, filter: AuditFilter(action: "subscription.set"), by: root)
            #expect(audit.entries.count == 1)
            #expect(audit.entries.first?.target.contains("status=suspended") == true)
            #expect(audit.entries.first?.target.contains(reason) == true)
            let organizations = try await browser.get("/ui/admin/orgs", client: client)
            #expect(organizations.html.contains("<td>business</td>\n<td>suspended</td>"))
        }
    }

    @Test func theRateLimitAndThePlanAreChangedFromTheirForms() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        let root = try DashboardWorld.root()
        let page = "/ui/admin/orgs/\(world.acme.rawValue)"
        try await world.test { client in
            var browser = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            let wrong = try await browser.submit(
                page, to: page + "/rate-limit", fields: [("per_minute", "lots"), ("burst", "")], client: client)
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.html.contains("id=\"per_minute-error\""))
            #expect(wrong.html.contains("value=\"lots\""))
            let set = try await browser.submit(
                page, to: page + "/rate-limit", fields: [("per_minute", "120"), ("burst", "30")], client: client)
            #expect(set.status == .seeOther)
            #expect(try await world.gateway.rateLimit(of: world.acme) == RateLimit(perMinute: 120, burst: 30))
            let shown = try await browser.get(page, client: client)
            #expect(shown.html.contains("This organization's own: 120 a minute, bursts of 30."))
            let cleared = try await browser.submit(
                page, to: page + "/rate-limit", fields: [("clear", "1")], client: client)
            #expect(cleared.status == .seeOther)
            #expect(try await world.gateway.rateLimit(of: world.acme)?.perMinute == 1_200)

            let plan = try await browser.submit(
                page, to: page + "/plan", fields: [("plan", "enterprise")], client: client)
            #expect(plan.status == .seeOther)
            #expect(try await world.gateway.organization(world.acme, by: root).record.plan == "enterprise")

            let added = try await browser.submit(
                "/ui/admin/plans",
                fields: [
                    ("name", "growth"), ("monthly_fee", "1,234.50"), ("included_api_calls", "50000"),
                    ("price_per_api_call", "0.25"), ("rate_limit_per_minute", "600"),
                ], client: client)
            #expect(added.status == .seeOther)
            let growth = try #require(try await world.gateway.plans(by: root).first { $0.plan.name == "growth" })
            #expect(growth.plan.monthlyFee == Amount(minorUnits: 123_450))
            #expect(growth.plan.overageFeePerCall == Amount(minorUnits: 25))
            let plans = try await browser.get("/ui/admin/plans?done=saved", client: client)
            #expect(plans.html.contains("<td class=\"n\">KES 1,234.50</td>"))
            let missing = try await browser.submit(
                "/ui/admin/plans", fields: [("name", "tiny"), ("monthly_fee", "abc")], client: client)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.html.contains("id=\"monthly_fee-error\""))
            #expect(missing.html.contains("id=\"included_api_calls-error\""))
            #expect(missing.html.contains("value=\"tiny\""))
        }
    }

    @Test func aBillingRunFromTheFormDraftsInvoicesOnce() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        let root = try DashboardWorld.root()
        let month = KenyaTime.monthKey(ms: world.gateway.wallClockMs)
        try await world.test { client in
            var browser = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            let form = try await browser.get("/ui/admin/billing", client: client).html
            let fields = [
                ("csrf_token", Browser.csrfToken(in: form) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: form) ?? ""), ("month", month),
            ]
            let run = try await browser.post("/ui/admin/billing/runs", form: fields, client: client)
            #expect(run.status == .ok)
            #expect(run.html.contains("Run of \(month): "))
            #expect(run.html.contains("drafts to date"))
            #expect(run.html.contains("<tr><td>acme</td><td>created</td><td>draft</td>"))
            #expect(run.html.contains("<tr><td>globex</td><td>created</td><td>draft</td>"))
            let acme = try #require(try await world.gateway.invoices(in: world.acme, by: root).first)
            #expect(acme.status == .draft)
            #expect(run.html.contains(DashboardFormat.kes(acme.total)))
            // The same form again shows that run, and runs nothing.
            let again = try await browser.post("/ui/admin/billing/runs", form: fields, client: client)
            #expect(again.status == .ok)
            #expect(again.html.contains("This form was sent before"))
            #expect(again.html.contains("<tr><td>acme</td><td>created</td><td>draft</td>"))
            #expect(try await world.gateway.invoices(in: world.acme, by: root).count == 1)
            // A month not started is refused next to the month, as typed.
            let future = try await browser.submit(
                "/ui/admin/billing", to: "/ui/admin/billing/runs", fields: [("month", "2999-01")], client: client)
            #expect(future.status == .unprocessableContent)
            #expect(future.html.contains("id=\"run-error\""))
            #expect(future.html.contains("value=\"2999-01\""))
        }
    }
}
