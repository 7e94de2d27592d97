import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// Webhook endpoints through the dashboard: the secret shown once (at creation and rotation), one endpoint per
/// form, a description shown as text, the delivery log of a test ping, recovery, and tenant isolation.
@Suite struct DashboardWebhookTests {
    static let url = "https://8.8.8.8/hooks"

    @Test func anEndpointIsCreatedOnceItsSecretShownOnceAndItsDescriptionEscaped() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let form = try await admin.get("/ui/settings/webhooks/new", client: client).html
            #expect(form.contains("name=\"event.payment.succeeded\""))
            let fields = [
                ("csrf_token", Browser.csrfToken(in: form) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: form) ?? ""),
                ("url", Self.url), ("description", DashboardWorld.script), ("event.payment.succeeded", "1"),
                ("event.payout.failed", "1"), ("enabled", "1"),
            ]
            let created = try await admin.post("/ui/settings/webhooks/new", form: fields, client: client)
            #expect(created.status == .created)
            let secret = try #require(Browser.shownSecret(in: created.html))
            #expect(secret.hasPrefix("whsec_"))
            let again = try await admin.post("/ui/settings/webhooks/new", form: fields, client: client)
            #expect(again.status == .seeOther)
            let root = try DashboardWorld.root()
            let endpoints = try await world.gateway.webhookEndpoints(in: world.acme, by: root)
            #expect(endpoints.count == 1)
            let endpoint = try #require(endpoints.first)
            #expect(endpoint.events == ["payment.succeeded", "payout.failed"])
            #expect(again.headers[.location] == "/ui/settings/webhooks/\(endpoint.id.rawValue)?done=again")
            let list = try await admin.get("/ui/settings/webhooks", client: client)
            let page = try await admin.get(
                "/ui/settings/webhooks/\(endpoint.id.rawValue)?done=again", client: client)
            #expect(page.status == .ok)
            #expect(page.html.contains("its secret shown that once"))
            #expect(page.html.contains(endpoint.secretHint))
            #expect(page.html.contains("name=\"event.payout.failed\" value=\"1\"\n checked"))
            for html in [list.html, page.html] {
                #expect(!html.contains(secret))
                #expect(!html.contains(DashboardWorld.script))
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            }
            // Rotating shows the new secret once, and a second submit of that form rotates nothing more.
            let rotate = [
                ("csrf_token", Browser.csrfToken(in: page.html) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: page.html) ?? ""),
            ]
            let rotated = try await admin.post(
                "/ui/settings/webhooks/\(endpoint.id.rawValue)/rotate", form: rotate, client: client)
            #expect(rotated.status == .created)
            let newSecret = try #require(Browser.shownSecret(in: rotated.html))
            #expect(newSecret != secret)
            let twice = try await admin.post(
                "/ui/settings/webhooks/\(endpoint.id.rawValue)/rotate", form: rotate, client: client)
            #expect(twice.status == .seeOther)
            let after = try await admin.get("/ui/settings/webhooks/\(endpoint.id.rawValue)", client: client)
            #expect(!after.html.contains(newSecret))
            let rotatedHint = try await world.gateway.webhookEndpoint(endpoint.id.rawValue, in: world.acme, by: root)
                .secretHint
            #expect(after.html.contains(rotatedHint))
        }
    }

    @Test func anEndpointIsEditedPingedAndItsDeliveriesListed() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            _ = try await admin.submit(
                "/ui/settings/webhooks/new", fields: [("url", Self.url), ("enabled", "1")], client: client)
            let root = try DashboardWorld.root()
            let id = try #require(try await world.gateway.webhookEndpoints(in: world.acme, by: root).first).id.rawValue
            let path = "/ui/settings/webhooks/\(id)"
            // A bad URL is said next to the field, what was typed kept.
            let bad = try await admin.submit(
                path, fields: [("url", "ftp://files.example"), ("description", "Orders")], client: client)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("id=\"url-error\""))
            #expect(bad.html.contains("value=\"ftp://files.example\""))
            let saved = try await admin.submit(
                path, fields: [("url", Self.url), ("description", "Orders"), ("enabled", "1")], client: client)
            #expect(saved.headers[.location] == path + "?done=saved")
            #expect(try await world.gateway.webhookEndpoint(id, in: world.acme, by: root).description == "Orders")
            let page = try await admin.get(path, client: client)
            let token = Browser.csrfToken(in: page.html) ?? ""
            let ping = try await admin.post(path + "/test", form: [("csrf_token", token)], client: client)
            #expect(ping.headers[.location] == path + "?done=ping")
            let log = try await admin.get(path + "?done=ping", client: client)
            #expect(log.html.contains("A test ping was queued"))
            #expect(log.html.contains("<td>ping</td>"))
            // Recovery: a date that cannot be read is said next to its field, what was typed kept.
            let refused = try await admin.post(
                path + "/recover", form: [("csrf_token", token), ("since", "yesterday")], client: client)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("id=\"since-error\""))
            #expect(refused.html.contains("value=\"yesterday\""))
            let today = KenyaTime.dayKey(ms: world.gateway.wallClockMs)
            let recovered = try await admin.post(
                path + "/recover", form: [("csrf_token", token), ("since", today), ("until", today)], client: client)
            #expect(recovered.status == .ok)
            #expect(recovered.html.contains("No failed delivery in those days."))
            let deleted = try await admin.post(path + "/delete", form: [("csrf_token", token)], client: client)
            #expect(deleted.headers[.location] == "/ui/settings/webhooks?done=deleted")
            #expect(try await world.gateway.webhookEndpoints(in: world.acme, by: root).isEmpty)
        }
    }

    @Test func anotherOrganizationsEndpointIsNotFound() async throws {
        let world = try await DashboardWorld.make()
        let globex = try await world.globex()
        let foreign = try await world.gateway.createWebhookEndpoint(
            WebhookEndpointInput(url: Self.url), in: globex, by: try DashboardWorld.root())
        let id = foreign.endpoint.id.rawValue
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let page = try await admin.get("/ui/settings/webhooks/\(id)", client: client)
            #expect(page.status == .notFound)
            // The not-found page is no form of the session: the token comes from a page of it.
            let token = Browser.csrfToken(in: try await admin.get("/ui/settings/webhooks", client: client).html) ?? ""
            for action in ["", "/rotate", "/test", "/delete", "/recover"] {
                let post = try await admin.post(
                    "/ui/settings/webhooks/\(id)\(action)",
                    form: [("csrf_token", token), ("url", Self.url), ("since", "2026-01-01")], client: client)
                #expect(post.status == .notFound, "\(action)")
                #expect(!post.html.contains(foreign.secret))
            }
            #expect(
                try await world.gateway.webhookEndpoint(id, in: globex, by: try DashboardWorld.root()).url == Self.url)
        }
    }
}
