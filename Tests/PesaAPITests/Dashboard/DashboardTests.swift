import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import Testing

/// The dashboard's foundation through the real router and engine: sessions, CSRF, headers, escaping, roles.
@Suite struct DashboardTests {
    @Test func unauthenticatedPagesRedirectToTheLoginFormAndBack() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var browser = Browser()
            let overview = try await browser.get("/ui/", client: client)
            #expect(overview.status == .seeOther)
            #expect(overview.headers[.location] == "/ui/login?next=%2Fui%2F")
            let payment = try await browser.get("/ui/payments/pay_x?org=a", client: client)
            #expect(payment.headers[.location] == "/ui/login?next=%2Fui%2Fpayments%2Fpay%5Fx%3Forg%3Da")
            // Only a dashboard path is kept as the way back.
            let login = try await browser.get("/ui/login?next=https://evil.example/ui/", client: client)
            #expect(login.status == .ok)
            #expect(login.html.contains("name=\"next\" value=\"\""))
        }
    }

    @Test func loginSetsAnHttpOnlyLaxCookieAndLandsOnTheOverview() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var browser = Browser()
            let answer = try await browser.logIn(email: DashboardWorld.admin, client: client)
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location] == "/ui/")
            let session = answer.headers[values: .setCookie].first { $0.hasPrefix("pesa_session=") } ?? ""
            #expect(session.contains("; HttpOnly"))
            #expect(session.contains("; SameSite=Lax"))
            #expect(session.contains("; Path=/ui"))
            #expect(!session.contains("Secure"))
            let overview = try await browser.get("/ui/", client: client)
            #expect(overview.status == .ok)
            #expect(overview.headers[.contentType] == "text/html; charset=utf-8")
            #expect(overview.html.contains("Acme Traders"))
            #expect(overview.html.contains("<title>Overview"))
            #expect(overview.html.components(separatedBy: "<h1").count == 2)
            #expect(overview.html.contains(DashboardWorld.admin))
            #expect(overview.html.contains("org_admin"))
            // Three payments of 1,234.50, 2,469.00 and 3,703.50 today.
            #expect(overview.html.contains("KES 7,407.00"))
            #expect(overview.html.contains("KES 1,234.50"))
            // A logged-in browser going to the login form is sent on.
            let again = try await browser.get("/ui/login", client: client)
            #expect(again.status == .seeOther)
        }
    }

    @Test func aWrongPasswordShowsTheFormAgainWithTheEmailKept() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var browser = Browser()
            let answer = try await browser.logIn(
                email: DashboardWorld.admin, password: "wrong-password", client: client)
            #expect(answer.status == .ok)
            #expect(answer.html.contains("Wrong email or password."))
            #expect(answer.html.contains("value=\"\(DashboardWorld.admin)\""))
            #expect(answer.html.components(separatedBy: "<h1").count == 2)
            #expect(browser.cookies["pesa_session"] == nil)
        }
    }

    @Test func aPostWithoutOrWithAWrongCSRFTokenIsRefused() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            let missing = try await browser.post("/ui/logout", form: [], client: client)
            #expect(missing.status == .forbidden)
            #expect(missing.html.contains("security token"))
            let wrong = try await browser.post("/ui/logout", form: [("csrf_token", "nope")], client: client)
            #expect(wrong.status == .forbidden)
            // The session survived both.
            #expect(try await browser.get("/ui/", client: client).status == .ok)
            // The login form needs its token too.
            var stranger = Browser()
            let login = try await stranger.post(
                "/ui/login", form: [("email", DashboardWorld.admin), ("password", DashboardWorld.password)],
                client: client)
            #expect(login.status == .forbidden)
        }
    }

    @Test func logoutEndsTheSessionOnTheServer() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            let stolen = browser
            let overview = try await browser.get("/ui/", client: client)
            let token = Browser.csrfToken(in: overview.html) ?? ""
            let out = try await browser.post("/ui/logout", form: [("csrf_token", token)], client: client)
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/ui/login")
            #expect(browser.cookies["pesa_session"] == nil)
            // The old cookie no longer works, on the pages nor on the API.
            var replay = stolen
            #expect(try await replay.get("/ui/", client: client).status == .seeOther)
            let cookie = stolen.cookies["pesa_session"] ?? ""
            let api = try await client.execute(
                uri: "/v1/transactions", method: .get, headers: [.authorization: "Bearer \(cookie)"])
            #expect(api.status == .unauthorized)
        }
    }

    @Test func everyPageCarriesTheSecurityHeaders() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var browser = Browser()
            var answers = [try await browser.get("/ui/", client: client)]
            answers.append(try await browser.get("/ui/login", client: client))
            answers.append(try await browser.post("/ui/logout", form: [], client: client))
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            answers.append(try await browser.get("/ui/", client: client))
            answers.append(try await browser.get("/ui/payments/pay_nope", client: client))
            for answer in answers {
                #expect(
                    answer.headers[.contentSecurityPolicy]
                        == "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                        + "frame-ancestors 'none'; base-uri 'none'")
                #expect(answer.headers[.xFrameOptions] == "DENY")
                #expect(answer.headers[.referrerPolicy] == "no-referrer")
                #expect(answer.headers[.xContentTypeOptions] == "nosniff")
                #expect(answer.headers[.cacheControl] == "no-store")
            }
            let css = try await browser.get("/ui/static/app.css", client: client)
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test func aScriptInADescriptionIsShownEscaped() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            let overview = try await browser.get("/ui/", client: client)
            #expect(!overview.html.contains(DashboardWorld.script))
            #expect(overview.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    @Test func aUserSeesNoSettingsAndAnotherOrganizationsPaymentIsNotFound() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var admin = Browser()
            _ = try await admin.logIn(email: DashboardWorld.admin, client: client)
            let adminPage = try await admin.get("/ui/", client: client).html
            #expect(adminPage.contains("href=\"/ui/settings\""))
            #expect(adminPage.contains("Balances"))
            var user = Browser()
            _ = try await user.logIn(email: DashboardWorld.user, client: client)
            let userPage = try await user.get("/ui/", client: client)
            #expect(userPage.status == .ok)
            #expect(!userPage.html.contains("/ui/settings/"))
            #expect(!userPage.html.contains("/ui/admin/"))
            #expect(!userPage.html.contains("This month"))
            #expect(userPage.html.contains("Recent payments"))
            let foreign = try await user.get("/ui/payments/\(world.globexPayment.rawValue)", client: client)
            #expect(foreign.status == .notFound)
            #expect(foreign.html.components(separatedBy: "<h1").count == 2)
            let otherOrg = try await user.get("/ui/?org=org_0000000000000000000000000", client: client)
            #expect(otherOrg.status == .notFound)
        }
    }

    @Test func anIdleSessionExpires() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var browser = Browser()
            _ = try await browser.logIn(email: DashboardWorld.admin, client: client)
            world.clock.advance(ms: 29 * 60_000)
            #expect(try await browser.get("/ui/", client: client).status == .ok)
            world.clock.advance(ms: 31 * 60_000)
            let expired = try await browser.get("/ui/", client: client)
            #expect(expired.status == .seeOther)
            #expect(expired.headers[.location] == "/ui/login?next=%2Fui%2F&expired=1")
            let form = try await browser.get("/ui/login?expired=1", client: client)
            #expect(form.html.contains("Your session expired"))
        }
    }

    @Test func amountsAreWrittenInShillingsWithGroupedThousands() {
        #expect(DashboardFormat.kes(minorUnits: 123_450) == "KES 1,234.50")
        #expect(DashboardFormat.kes(minorUnits: 0) == "KES 0.00")
        #expect(DashboardFormat.kes(minorUnits: 5) == "KES 0.05")
        #expect(DashboardFormat.kes(minorUnits: 99_999) == "KES 999.99")
        #expect(DashboardFormat.kes(minorUnits: 100_000) == "KES 1,000.00")
        #expect(DashboardFormat.kes(minorUnits: -123_450) == "KES -1,234.50")
        #expect(DashboardFormat.kes(minorUnits: 123_456_789_012) == "KES 1,234,567,890.12")
        #expect(DashboardFormat.kes(minorUnits: .min) == "KES -92,233,720,368,547,758.08")
        #expect(DashboardFormat.kes(Amount(minorUnits: 100_000_000)) == "KES 1,000,000.00")
        #expect(DashboardFormat.kenyaTime(ms: 0) == "1970-01-01 03:00")
    }
}
