import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// Registering C2B URLs from a short code's page, against the embedded Daraja sandbox: Daraja's answer shown,
/// one registration per form, and the refusals (CSRF, role, another organization, a bad response type).
@Suite struct DashboardC2BRegistrationTests {
    @Test func aPaybillsURLsAreRegisteredOnceAndDarajasAnswerShown() async throws {
        try await PayoutWorld.run { world, client in
            let records = try await world.gateway.shortCodes(
                in: world.acme, includeDeleted: false, by: PayoutWorld.root)
            let paybill = try #require(records.first { $0.kind != .b2c })
            let path = "/ui/settings/credentials/\(paybill.id.rawValue)"
            var admin = try await PayoutWorld.browser(PayoutWorld.admin, client: client)
            let page = try await admin.get(path, client: client)
            #expect(page.status == .ok)
            #expect(page.html.contains("Register C2B URLs with Safaricom"))
            #expect(page.html.contains("<option value=\"completed\" selected>"))
            // A response type the API refuses: said next to the field, nothing registered.
            let bad = try await admin.submit(
                path, to: path + "/register-urls", fields: [("response_type", "sometimes")], client: client)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("id=\"response_type-error\">response_type must be completed or cancelled"))
            #expect(try await Self.registrations(world) == 0)
            let form = try await admin.get(path, client: client).html
            let fields = [
                ("csrf_token", Browser.csrfToken(in: form) ?? ""),
                ("idempotency_key", try #require(Self.registrationKey(in: form))), ("response_type", "cancelled"),
            ]
            let registered = try await admin.post(path + "/register-urls", form: fields, client: client)
            #expect(registered.status == .ok)
            #expect(registered.html.contains("Daraja answered: Success"))
            #expect(registered.html.contains("/c2b/confirmation</code>"))
            #expect(registered.html.contains("<dd>Cancelled</dd>"))
            let again = try await admin.post(path + "/register-urls", form: fields, client: client)
            #expect(again.status == .ok)
            #expect(again.html.contains("This form was already sent"))
            #expect(try await Self.registrations(world) == 1)
            // CSRF, a role below org_admin, another organization's short code.
            let forged = try await admin.post(
                path + "/register-urls", form: [("response_type", "completed")], client: client)
            #expect(forged.status == .forbidden)
            var manager = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let token = Browser.csrfToken(in: try await manager.get("/ui/settings", client: client).html) ?? ""
            let byManager = try await manager.post(
                path + "/register-urls", form: [("csrf_token", token), ("response_type", "completed")],
                client: client)
            #expect(byManager.status == .forbidden)
            let foreign = try #require(
                try await world.gateway.shortCodes(in: world.globex, includeDeleted: false, by: PayoutWorld.root)
                    .first { $0.kind != .b2c })
            let elsewhere = try await admin.post(
                "/ui/settings/credentials/\(foreign.id.rawValue)/register-urls",
                form: [("csrf_token", Browser.csrfToken(in: form) ?? ""), ("response_type", "completed")],
                client: client)
            #expect(elsewhere.status == .notFound)
            #expect(try await Self.registrations(world) == 1)
        }
    }

    /// Without a Daraja to reach, the page says why nothing was registered; a B2C profile has no such form.
    @Test func darajasErrorIsShownAndAB2CProfileHasNoForm() async throws {
        let world = try await DashboardWorld.make()
        let paybill = try await world.shortCode(in: world.acme)
        var input = ShortCodeInput()
        input.environment = "sandbox"
        input.kind = "b2c"
        input.shortCode = "600200"
        input.consumerKey = "KEYconsumer5521"
        input.consumerSecret = DashboardWorld.consumerSecret
        input.initiatorName = "apiop"
        input.initiatorPassword = "Safaricom999!"
        let b2c = try await world.gateway.createShortCode(input, in: world.acme, by: try DashboardWorld.root())
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let path = "/ui/settings/credentials/\(paybill.id.rawValue)"
            let failed = try await admin.submit(
                path, to: path + "/register-urls", fields: [("response_type", "completed")], client: client)
            #expect(failed.status.code >= 500)
            #expect(failed.html.contains("The URLs were not registered: "))
            #expect(failed.html.contains("<h1>Short code 600100"))
            let payouts = try await admin.get("/ui/settings/credentials/\(b2c.id.rawValue)", client: client)
            #expect(payouts.status == .ok)
            #expect(!payouts.html.contains("register-urls"))
        }
        let entries = try await world.gateway.auditLog(
            in: world.acme, after: 0, limit: 100, by: try DashboardWorld.root())
        #expect(!entries.entries.contains { $0.action == "c2b.register_urls" })
    }

    /// How many C2B registrations Acme's audit log holds.
    static func registrations(_ world: PayoutWorld) async throws -> Int {
        try await world.gateway.auditLog(in: world.acme, after: 0, limit: 1000, by: PayoutWorld.root).entries
            .filter { $0.action == "c2b.register_urls" }.count
    }

    /// The idempotency key of the registration form of a short code's page.
    static func registrationKey(in html: String) -> String? {
        guard let form = html.range(of: "/register-urls") else { return nil }
        return Browser.hidden("idempotency_key", in: String(html[form.upperBound...]))
    }
}
