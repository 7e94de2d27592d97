import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// Users and API keys through the dashboard: the API's role rules, one object per form, and an API key shown
/// on one page only.
@Suite struct DashboardAccessTests {
    @Test func usersAreListedAddedOnceAndTheirRolesChangedWithinTheRules() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let list = try await admin.get("/ui/settings/users", client: client)
            #expect(list.status == .ok)
            #expect(list.html.contains(DashboardWorld.user))
            #expect(list.html.contains(DashboardWorld.admin))
            #expect(!list.html.contains("<option value=\"super_admin\""))
            let form = try await admin.get("/ui/settings/users/new", client: client).html
            #expect(!form.contains("super_admin"))
            let fields = [
                ("csrf_token", Browser.csrfToken(in: form) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: form) ?? ""),
                ("email", "clerk@acme.co"), ("password", DashboardWorld.password), ("role", "manager"),
            ]
            let first = try await admin.post("/ui/settings/users/new", form: fields, client: client)
            #expect(first.status == .seeOther)
            let again = try await admin.post("/ui/settings/users/new", form: fields, client: client)
            #expect(again.status == .seeOther)
            let root = try DashboardWorld.root()
            let users = try await world.gateway.users(in: world.acme, by: root)
            #expect(users.filter { $0.email == "clerk@acme.co" }.count == 1)
            let clerk = try #require(users.first { $0.email == "clerk@acme.co" })
            #expect(clerk.role == .manager)
            // A taken email is said next to the email field, what was typed kept.
            let taken = try await admin.submit(
                "/ui/settings/users/new",
                fields: [("email", DashboardWorld.user), ("password", DashboardWorld.password), ("role", "user")],
                client: client)
            #expect(taken.status == .conflict)
            #expect(taken.html.contains("id=\"email-error\">email is taken"))
            #expect(taken.html.contains("value=\"\(DashboardWorld.user)\""))
            // An org_admin may not make a super_admin, even by a hand-made form.
            let token = Browser.csrfToken(in: list.html) ?? ""
            let promoted = try await admin.post(
                "/ui/settings/users/\(clerk.id.rawValue)", form: [("csrf_token", token), ("role", "super_admin")],
                client: client)
            #expect(promoted.status == .forbidden)
            #expect(promoted.html.contains("may not give role super_admin"))
            let disabled = try await admin.post(
                "/ui/settings/users/\(clerk.id.rawValue)",
                form: [("csrf_token", token), ("role", "user"), ("disabled", "true")], client: client)
            #expect(disabled.headers[.location] == "/ui/settings/users?done=saved")
            let changed = try await world.gateway.user(clerk.id, in: world.acme, by: root)
            #expect(changed.role == .user && changed.disabled)
            let deleted = try await admin.post(
                "/ui/settings/users/\(clerk.id.rawValue)/delete", form: [("csrf_token", token)], client: client)
            #expect(deleted.status == .seeOther)
            #expect(try await world.gateway.users(in: world.acme, by: root).count == 2)
        }
    }

    @Test func anAPIKeyIsShownOnceAndADoubleSubmitMakesOneKey() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let form = try await admin.get("/ui/settings/api-keys/new", client: client).html
            #expect(form.contains("<option value=\"sandbox\" selected>"))
            let fields = [
                ("csrf_token", Browser.csrfToken(in: form) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: form) ?? ""),
                ("name", "Till <app>"), ("role", "manager"), ("environment", "sandbox"),
            ]
            let created = try await admin.post("/ui/settings/api-keys/new", form: fields, client: client)
            #expect(created.status == .created)
            #expect(created.html.contains("shown this once and never again"))
            let secret = try #require(Browser.shownSecret(in: created.html))
            #expect(secret.hasPrefix("pk_test_") && secret.count > 20)
            #expect(created.html.contains("Till &lt;app&gt;"))
            // The key works on the API.
            let api = try await client.execute(
                uri: "/v1/transactions", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(api.status == .ok)
            // A reload of the list or a second submit of the form shows it no more, and makes no second key.
            let list = try await admin.get("/ui/settings/api-keys", client: client)
            #expect(list.status == .ok)
            #expect(!list.html.contains(secret))
            #expect(list.html.contains("pk_test_…" + String(secret.suffix(4))))
            let again = try await admin.post("/ui/settings/api-keys/new", form: fields, client: client)
            #expect(again.status == .conflict)
            #expect(again.html.contains("This form was already sent."))
            #expect(!again.html.contains(secret))
            let keys = try await world.gateway.apiKeys(in: world.acme, by: try DashboardWorld.root())
            #expect(keys.count == 1)
            // Revoked: refused by the API from then on.
            let key = try #require(keys.first)
            let revoked = try await admin.post(
                "/ui/settings/api-keys/\(key.id.rawValue)/revoke",
                form: [("csrf_token", Browser.csrfToken(in: list.html) ?? "")], client: client)
            #expect(revoked.headers[.location] == "/ui/settings/api-keys?done=revoked")
            let refused = try await client.execute(
                uri: "/v1/transactions", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(refused.status == .unauthorized)
        }
    }

    @Test func anAPIKeyWithoutANameIsRefusedNextToTheField() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let answer = try await admin.submit(
                "/ui/settings/api-keys/new",
                fields: [("name", "  "), ("role", "org_admin"), ("environment", "sandbox")],
                client: client)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.html.contains("id=\"name-error\">name must be 1 to 100 characters"))
            #expect(answer.html.contains("<option value=\"org_admin\" selected>"))
            #expect(try await world.gateway.apiKeys(in: world.acme, by: try DashboardWorld.root()).isEmpty)
        }
    }
}
