import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// What an org_admin sets for others through the dashboard: a user's password, and an API key's own rate limit.
@Suite struct DashboardUserKeyTests {
    static let newPassword = "staple-battery-horse-42"

    @Test func anOrgAdminSetsAUsersPasswordOnce() async throws {
        let world = try await DashboardWorld.make()
        let root = try DashboardWorld.root()
        let target = try #require(
            try await world.gateway.users(in: world.acme, by: root).first { $0.email == DashboardWorld.user })
        let path = "/ui/settings/users/\(target.id.rawValue)/password"
        try await world.test { client in
            var signedInUser = try await Browser.signedIn(DashboardWorld.user, client: client)
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let list = try await admin.get("/ui/settings/users", client: client)
            #expect(list.html.contains("action=\"\(path)\""))
            // Too short: said next to that user's field, nothing changed.
            let short = try await admin.post(
                path,
                form: [("csrf_token", Browser.csrfToken(in: list.html) ?? ""), ("password", "short")], client: client)
            #expect(short.status == .unprocessableContent)
            #expect(
                short.html.contains(
                    "id=\"password-error-\(target.id.rawValue)\">password must be \(Limits.passwordBytesMin)"))
            let form = try await admin.get("/ui/settings/users", client: client).html
            let key = try #require(Self.passwordKey(of: target.id.rawValue, in: form))
            let fields = [
                ("csrf_token", Browser.csrfToken(in: form) ?? ""), ("idempotency_key", key),
                ("password", Self.newPassword),
            ]
            let set = try await admin.post(path, form: fields, client: client)
            #expect(set.status == .seeOther)
            #expect(set.headers[.location] == "/ui/settings/users?done=password")
            let again = try await admin.post(path, form: fields, client: client)
            #expect(again.status == .seeOther)
            #expect(try await world.auditCount("user.update") == 1)
            // The user's session ended; the new password logs in.
            #expect(try await signedInUser.get("/ui/", client: client).status == .seeOther)
            var fresh = Browser()
            let login = try await fresh.logIn(
                email: DashboardWorld.user, password: Self.newPassword, client: client)
            #expect(login.status == .seeOther)
            // CSRF, role, another organization.
            let forged = try await admin.post(path, form: [("password", "another-long-one")], client: client)
            #expect(forged.status == .forbidden)
            let token = Browser.csrfToken(in: try await fresh.get("/ui/", client: client).html) ?? ""
            let byUser = try await fresh.post(
                path, form: [("csrf_token", token), ("password", "another-long-one")], client: client)
            #expect(byUser.status == .forbidden)
            let globex = try await world.globex()
            let hash = try await world.api.passwordHasher.hash(DashboardWorld.password)
            let foreign = try await world.gateway.createUser(
                in: globex, email: "x@globex.co", passwordHash: hash, role: .user, by: root)
            let elsewhere = try await admin.post(
                "/ui/settings/users/\(foreign.id.rawValue)/password",
                form: [("csrf_token", Browser.csrfToken(in: form) ?? ""), ("password", "another-long-one")],
                client: client)
            #expect(elsewhere.status == .notFound)
        }
    }

    @Test func anAPIKeyGetsItsOwnRateLimit() async throws {
        let world = try await DashboardWorld.make()
        let root = try DashboardWorld.root()
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let form = try await admin.get("/ui/settings/api-keys/new", client: client)
            #expect(form.html.contains("name=\"rate_limit.per_minute\""))
            let word = try await admin.submit(
                "/ui/settings/api-keys/new",
                fields: [
                    ("name", "Shop"), ("role", "user"), ("environment", "sandbox"),
                    ("rate_limit.per_minute", "fast"), ("rate_limit.burst", ""),
                ], client: client)
            #expect(word.status == .unprocessableContent)
            #expect(word.html.contains("id=\"per-minute-error\">rate_limit.per_minute must be a whole number"))
            #expect(word.html.contains("value=\"fast\""))
            #expect(word.html.contains("value=\"Shop\""))
            let above = try await admin.submit(
                "/ui/settings/api-keys/new",
                fields: [
                    ("name", "Shop"), ("role", "user"), ("environment", "sandbox"),
                    ("rate_limit.per_minute", "60"), ("rate_limit.burst", "99999999"),
                ], client: client)
            #expect(above.status == .unprocessableContent)
            #expect(above.html.contains("id=\"burst-error\">rate_limit.burst"))
            #expect(above.html.contains("value=\"99999999\""))
            #expect(try await world.gateway.apiKeys(in: world.acme, by: root).isEmpty)
            let page = try await admin.get("/ui/settings/api-keys/new", client: client).html
            let fields = [
                ("csrf_token", Browser.csrfToken(in: page) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: page) ?? ""),
                ("name", "Shop"), ("role", "user"), ("environment", "sandbox"), ("rate_limit.per_minute", "30"),
                ("rate_limit.burst", "10"),
            ]
            let created = try await admin.post("/ui/settings/api-keys/new", form: fields, client: client)
            #expect(created.status == .created)
            let again = try await admin.post("/ui/settings/api-keys/new", form: fields, client: client)
            #expect(again.status == .conflict)
            let keys = try await world.gateway.apiKeys(in: world.acme, by: root)
            #expect(keys.count == 1)
            #expect(keys.first?.rateLimit == RateLimit(perMinute: 30, burst: 10))
            let list = try await admin.get("/ui/settings/api-keys", client: client)
            #expect(list.html.contains("<td>30 a minute, bursts of 10</td>"))
        }
    }

    /// The idempotency key of the set-password form of user `id` on the users page.
    static func passwordKey(of id: String, in html: String) -> String? {
        guard let form = html.range(of: "action=\"/ui/settings/users/\(id)/password\"") else { return nil }
        return Browser.hidden("idempotency_key", in: String(html[form.upperBound...]))
    }
}
