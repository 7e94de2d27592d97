import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// A user's own password change through the dashboard (`/ui/account`): the sessions ended as the API's use case
/// ends them, this one going on, for every role.
@Suite struct DashboardAccountTests {
    static let newPassword = "staple-battery-horse-42"

    @Test func aUserChangesTheirPasswordAndStaysSignedInWhileOtherSessionsEnd() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var other = try await Browser.signedIn(DashboardWorld.user, client: client)
            #expect(try await other.get("/ui/", client: client).status == .ok)
            var user = try await Browser.signedIn(DashboardWorld.user, client: client)
            let overview = try await user.get("/ui/", client: client)
            #expect(overview.html.contains("<a href=\"/ui/account\">user@acme.co</a>"))
            let page = try await user.get("/ui/account", client: client)
            #expect(page.status == .ok)
            #expect(page.html.contains("<h1>Your account</h1>"))
            // A wrong current password, a short new one, two that differ: each next to its field.
            let wrong = try await user.submit(
                "/ui/account",
                fields: [
                    ("current_password", "not-it-at-all"), ("new_password", Self.newPassword),
                    ("confirm_password", Self.newPassword),
                ], client: client)
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.html.contains("id=\"current_password-error\">current_password is not the password"))
            let short = try await user.submit(
                "/ui/account",
                fields: [
                    ("current_password", DashboardWorld.password), ("new_password", "short"),
                    ("confirm_password", "short"),
                ], client: client)
            #expect(short.status == .unprocessableContent)
            #expect(short.html.contains("id=\"new_password-error\">new_password must be"))
            let differ = try await user.submit(
                "/ui/account",
                fields: [
                    ("current_password", DashboardWorld.password), ("new_password", Self.newPassword),
                    ("confirm_password", Self.newPassword + "x"),
                ], client: client)
            #expect(differ.status == .unprocessableContent)
            #expect(differ.html.contains("id=\"confirm_password-error\">The two new passwords differ."))
            #expect(!differ.html.contains(Self.newPassword))
            // Without the CSRF token: refused.
            let forged = try await user.post(
                "/ui/account",
                form: [
                    ("current_password", DashboardWorld.password), ("new_password", Self.newPassword),
                    ("confirm_password", Self.newPassword),
                ], client: client)
            #expect(forged.status == .forbidden)
            let form = try await user.get("/ui/account", client: client).html
            let fields = [
                ("csrf_token", Browser.csrfToken(in: form) ?? ""), ("current_password", DashboardWorld.password),
                ("new_password", Self.newPassword), ("confirm_password", Self.newPassword),
            ]
            let changed = try await user.post("/ui/account", form: fields, client: client)
            #expect(changed.status == .seeOther)
            #expect(changed.headers[.location] == "/ui/account?done=password")
            // This browser goes on with a new session; the other one is asked to log in again.
            let done = try await user.get("/ui/account?done=password", client: client)
            #expect(done.status == .ok)
            #expect(done.html.contains("Your password was changed."))
            #expect(try await other.get("/ui/", client: client).status == .seeOther)
            // The same form sent again changes nothing: its session and its password are gone.
            let again = try await user.post("/ui/account", form: fields, client: client)
            #expect(again.status != .seeOther || again.headers[.location] != "/ui/account?done=password")
            // The old password no longer logs in; the new one does.
            var fresh = Browser()
            #expect(try await fresh.logIn(email: DashboardWorld.user, client: client).status != .seeOther)
            let login = try await fresh.logIn(
                email: DashboardWorld.user, password: Self.newPassword, client: client)
            #expect(login.status == .seeOther)
        }
    }

    @Test func aSuperAdminHasAnAccountPageToo() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        try await world.test { client in
            var root = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            let page = try await root.get("/ui/account", client: client)
            #expect(page.status == .ok)
            #expect(
                page.html.contains("<a href=\"/ui/account\" aria-current=\"page\">\(DashboardWorld.operatorEmail)</a>"))
            let changed = try await root.submit(
                "/ui/account",
                fields: [
                    ("current_password", DashboardWorld.password), ("new_password", Self.newPassword),
                    ("confirm_password", Self.newPassword),
                ], client: client)
            #expect(changed.status == .seeOther)
            #expect(try await root.get("/ui/account", client: client).status == .ok)
        }
    }
}
