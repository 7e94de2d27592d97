import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// The organization's rules and records through the dashboard: payout batch rules, the callback token's
/// rotation and the events, each with what the engine recorded, the roles, CSRF, another organization and a
/// second submit of one form.
@Suite struct DashboardOrganizationSettingsTests {
    @Test func theBatchRulesAreSavedOnceWithTheirErrorsNextToTheirFields() async throws {
        let world = try await DashboardWorld.make()
        try await world.addUser("manager@acme.co", role: .manager)
        let root = try DashboardWorld.root()
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let index = try await admin.get("/ui/settings", client: client)
            #expect(index.html.contains("href=\"/ui/settings/batches\""))
            let form = try await admin.get("/ui/settings/batches", client: client)
            #expect(form.status == .ok)
            #expect(form.html.contains("<h1>Payout batch rules</h1>"))
            #expect(form.html.contains("<option value=\"none\" selected>"))
            // "above" without its amount: the use case's message next to that field, the choices kept.
            let missing = try await admin.submit(
                "/ui/settings/batches", fields: [("approval", "above"), ("low_balance", "refuse")], client: client)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.html.contains("id=\"approval_above-error\">approval above needs approval_above"))
            #expect(missing.html.contains("<option value=\"above\" selected>"))
            #expect(missing.html.contains("<option value=\"refuse\" selected>"))
            let typed = try await admin.submit(
                "/ui/settings/batches",
                fields: [("approval", "above"), ("approval_above", "lots"), ("low_balance", "warn")], client: client)
            #expect(typed.status == .unprocessableContent)
            #expect(typed.html.contains("id=\"approval_above-error\">approval_above must be a whole number"))
            #expect(typed.html.contains("value=\"lots\""))
            #expect(try await world.gateway.payoutBatchSettings(in: world.acme, by: root) == BatchSettings())
            // Saved, and the same form sent again saves nothing more.
            let page = try await admin.get("/ui/settings/batches", client: client).html
            let fields = [
                ("csrf_token", Browser.csrfToken(in: page) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: page) ?? ""),
                ("approval", "above"), ("approval_above", "50000"), ("low_balance", "refuse"),
            ]
            let saved = try await admin.post("/ui/settings/batches", form: fields, client: client)
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/ui/settings/batches?done=saved")
            let again = try await admin.post("/ui/settings/batches", form: fields, client: client)
            #expect(again.status == .seeOther)
            #expect(
                try await world.gateway.payoutBatchSettings(in: world.acme, by: root)
                    == BatchSettings(approval: .above, approvalAbove: Amount(shillings: 50_000), lowBalance: .refuse))
            #expect(try await world.auditCount("payout_batch.settings") == 1)
            // A manager reads the rules and gets no form; posting is refused.
            var manager = try await Browser.signedIn("manager@acme.co", client: client)
            let read = try await manager.get("/ui/settings/batches", client: client)
            #expect(read.status == .ok)
            #expect(read.html.contains("When the total is above an amount"))
            #expect(read.html.contains("above KES 50000"))
            #expect(!read.html.contains("name=\"approval\""))
            let refused = try await manager.post(
                "/ui/settings/batches",
                form: [
                    ("csrf_token", Browser.csrfToken(in: read.html) ?? ""), ("approval", "none"),
                    ("low_balance", "warn"),
                ], client: client)
            #expect(refused.status == .forbidden)
            // A user may not even read them; a post without its CSRF token changes nothing.
            var user = try await Browser.signedIn(DashboardWorld.user, client: client)
            #expect(try await user.get("/ui/settings/batches", client: client).status == .forbidden)
            let forged = try await admin.post(
                "/ui/settings/batches", form: [("approval", "all"), ("low_balance", "warn")], client: client)
            #expect(forged.status == .forbidden)
            #expect(try await world.gateway.payoutBatchSettings(in: world.acme, by: root).approval == .above)
            let other = try await admin.get(
                "/ui/settings/batches?org=\(try await world.globex().rawValue)", client: client)
            #expect(other.status == .notFound)
        }
    }

    @Test func theCallbackTokenIsRotatedOnceAfterAConfirmationStep() async throws {
        let world = try await DashboardWorld.make()
        let root = try DashboardWorld.root()
        let before = try #require(try await world.gateway.organization(world.acme, by: root).callbackToken)
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let settings = try await admin.get("/ui/settings", client: client)
            #expect(settings.html.contains("action=\"/ui/settings/callback-token/rotate\""))
            #expect(settings.html.contains(before))
            let confirm = try await admin.get("/ui/settings/callback-token/rotate", client: client)
            #expect(confirm.status == .ok)
            #expect(confirm.html.contains("<h1>Rotate the callback token</h1>"))
            #expect(confirm.html.contains("must then be registered with Safaricom again"))
            // Hours out of bounds: said next to the field, what was typed kept, nothing rotated.
            let bad = try await admin.submit(
                "/ui/settings/callback-token/rotate", fields: [("previous_valid_hours", "99999")], client: client)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("id=\"previous_valid_hours-error\">previous_valid_hours must be 0 to"))
            #expect(bad.html.contains("value=\"99999\""))
            #expect(try await world.gateway.organization(world.acme, by: root).callbackToken == before)
            let form = try await admin.get("/ui/settings/callback-token/rotate", client: client).html
            let fields = [
                ("csrf_token", Browser.csrfToken(in: form) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: form) ?? ""),
                ("previous_valid_hours", "0"),
            ]
            let rotated = try await admin.post("/ui/settings/callback-token/rotate", form: fields, client: client)
            #expect(rotated.status == .seeOther)
            #expect(rotated.headers[.location] == "/ui/settings?done=rotated")
            let after = try #require(try await world.gateway.organization(world.acme, by: root).callbackToken)
            #expect(after != before)
            // The same form sent again rotates nothing more.
            let again = try await admin.post("/ui/settings/callback-token/rotate", form: fields, client: client)
            #expect(again.status == .seeOther)
            #expect(try await world.gateway.organization(world.acme, by: root).callbackToken == after)
            #expect(try await world.auditCount("organization.callback_token_rotate") == 1)
            let shown = try await admin.get("/ui/settings?done=rotated", client: client)
            #expect(shown.html.contains("The callback token was rotated"))
            #expect(shown.html.contains(after))
            #expect(!shown.html.contains(before))
            // A second rotation while the first one's old token is still accepted: said next to force.
            let graced = try await admin.submit(
                "/ui/settings/callback-token/rotate", fields: [("previous_valid_hours", "24")], client: client)
            #expect(graced.status == .seeOther)
            let conflict = try await admin.submit(
                "/ui/settings/callback-token/rotate", fields: [("previous_valid_hours", "24")], client: client)
            #expect(conflict.status == .conflict)
            #expect(conflict.html.contains("id=\"force-error\">the token replaced by the last rotation"))
            // CSRF, role and another organization.
            let forged = try await admin.post(
                "/ui/settings/callback-token/rotate", form: [("previous_valid_hours", "0")], client: client)
            #expect(forged.status == .forbidden)
            var user = try await Browser.signedIn(DashboardWorld.user, client: client)
            #expect(try await user.get("/ui/settings/callback-token/rotate", client: client).status == .forbidden)
            let globex = try await world.globex().rawValue
            let foreign = try await admin.post(
                "/ui/settings/callback-token/rotate?org=\(globex)",
                form: [("csrf_token", Browser.csrfToken(in: form) ?? ""), ("previous_valid_hours", "0")],
                client: client)
            #expect(foreign.status == .notFound)
        }
    }

    @Test func theEventsAreListedNewestFirstWithTheirPayloads() async throws {
        let world = try await DashboardWorld.make()
        let root = try DashboardWorld.root()
        let endpoint = try await world.gateway.createWebhookEndpoint(
            WebhookEndpointInput(url: DashboardWebhookTests.url), in: world.acme, by: root
        ).endpoint.id.rawValue
        // One more than a page (20 events).
        var sent: [String] = []
        for _ in 0..<21 {
            sent.append(try await world.gateway.sendWebhookTest(endpoint, in: world.acme, by: root).id.rawValue)
        }
        let pings = sent
        let globex = try await world.globex()
        let foreignEndpoint = try await world.gateway.createWebhookEndpoint(
            WebhookEndpointInput(url: DashboardWebhookTests.url), in: globex, by: root
        ).endpoint.id.rawValue
        let foreign = try await world.gateway.sendWebhookTest(foreignEndpoint, in: globex, by: root).id.rawValue
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let webhooks = try await admin.get("/ui/settings/webhooks", client: client)
            #expect(webhooks.html.contains("href=\"/ui/settings/webhooks/events\""))
            let first = try await admin.get("/ui/settings/webhooks/events", client: client)
            #expect(first.status == .ok)
            #expect(first.html.contains("<h1>Events</h1>"))
            // Newest first: the last ping leads, the first one is on the next page.
            let newest = try #require(pings.last)
            let oldest = try #require(pings.first)
            let newestAt = try #require(first.html.range(of: newest)?.lowerBound)
            let secondAt = try #require(first.html.range(of: pings[pings.count - 2])?.lowerBound)
            #expect(newestAt < secondAt)
            #expect(!first.html.contains(oldest))
            #expect(first.html.contains("&quot;type&quot; : &quot;ping&quot;"))
            #expect(!first.html.contains(foreign))
            let next = try await admin.get("/ui/settings/webhooks/events?after=\(pings[1])", client: client)
            #expect(next.html.contains(oldest))
            #expect(first.html.contains("href=\"/ui/settings/webhooks/events?after=\(pings[1])\""))
            // The type filter: no payment event; an unknown type is said next to the filter.
            let payments = try await admin.get("/ui/settings/webhooks/events?type=payment.succeeded", client: client)
            #expect(payments.html.contains("No event of this type yet."))
            let unknown = try await admin.get("/ui/settings/webhooks/events?type=nothing", client: client)
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.html.contains("unknown event type nothing"))
            // One event, as its deliveries carry it; another organization's is not found.
            let one = try await admin.get("/ui/settings/webhooks/events/\(newest)", client: client)
            #expect(one.status == .ok)
            #expect(one.html.contains("<h1>Event ping</h1>"))
            #expect(one.html.contains("&quot;deliveries&quot;"))
            #expect(try await admin.get("/ui/settings/webhooks/events/\(foreign)", client: client).status == .notFound)
            var user = try await Browser.signedIn(DashboardWorld.user, client: client)
            #expect(try await user.get("/ui/settings/webhooks/events", client: client).status == .forbidden)
        }
    }
}
