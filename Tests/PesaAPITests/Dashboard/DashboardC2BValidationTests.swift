import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// The C2B validation rule through the dashboard: read and saved through the use case of `PUT /v1/c2b/validation`,
/// its error next to the account references with what was typed kept, once per form, org_admin only, and
/// another organization's a 404.
@Suite struct DashboardC2BValidationTests {
    @Test func theRuleIsSavedOnceWithItsErrorNextToTheReferences() async throws {
        let world = try await DashboardWorld.make()
        try await world.addUser("manager@acme.co", role: .manager)
        let root = try DashboardWorld.root()
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            #expect(
                try await admin.get("/ui/settings", client: client).html.contains(
                    "href=\"/ui/settings/c2b-validation\""))
            let form = try await admin.get("/ui/settings/c2b-validation", client: client)
            #expect(form.status == .ok)
            #expect(form.html.contains("<title>C2B validation"))
            #expect(form.html.components(separatedBy: "<h1").count == 2)
            #expect(form.html.contains("<option value=\"false\" selected>Accept every payment</option>"))
            // Too many references: the use case's message next to them, what was typed kept, nothing saved.
            let many = (1...(Limits.c2bAccountReferencesCountMax + 1)).map { "INV-\($0)" }.joined(separator: "\n")
            let refused = try await admin.submit(
                "/ui/settings/c2b-validation",
                fields: [("reject_unknown_account_references", "true"), ("account_references", many)], client: client)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("id=\"account_references-error\">at most"))
            #expect(refused.html.contains(">INV-1\nINV-2\n"))
            #expect(refused.html.contains("<option value=\"true\" selected>"))
            #expect(try await world.gateway.c2bValidation(in: world.acme, by: root).rejectUnknown == false)
            // Saved (blank lines and spaces around a reference left out; the use case keeps references in upper
            // case), and the same form sent again saves nothing more.
            let page = try await admin.get("/ui/settings/c2b-validation", client: client).html
            let fields = [
                ("csrf_token", Browser.csrfToken(in: page) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: page) ?? ""),
                ("reject_unknown_account_references", "true"), ("account_references", " INV-7 \r\n\r\n<b>ACC</b>\n"),
            ]
            let saved = try await admin.post("/ui/settings/c2b-validation", form: fields, client: client)
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/ui/settings/c2b-validation?done=saved")
            #expect(
                try await admin.post("/ui/settings/c2b-validation", form: fields, client: client).status == .seeOther)
            let record = try await world.gateway.c2bValidation(in: world.acme, by: root)
            #expect(record.rejectUnknown && record.accountReferences.sorted() == ["<B>ACC</B>", "INV-7"])
            #expect(try await world.auditCount("c2b.validation_set") == 1)
            let shown = try await admin.get("/ui/settings/c2b-validation?done=saved", client: client)
            #expect(shown.html.contains("The C2B validation rule was saved."))
            #expect(shown.html.contains(">&lt;B&gt;ACC&lt;/B&gt;\nINV-7</textarea>"))
            #expect(shown.html.contains("Last changed"))
            // A manager may neither read nor change it; a form without its CSRF token changes nothing.
            var manager = try await Browser.signedIn("manager@acme.co", client: client)
            #expect(try await manager.get("/ui/settings/c2b-validation", client: client).status == .forbidden)
            let forged = try await admin.post(
                "/ui/settings/c2b-validation", form: [("reject_unknown_account_references", "false")], client: client)
            #expect(forged.status == .forbidden)
            #expect(try await world.gateway.c2bValidation(in: world.acme, by: root).rejectUnknown)
            let other = try await admin.get(
                "/ui/settings/c2b-validation?org=\(try await world.globex().rawValue)", client: client)
            #expect(other.status == .notFound)
        }
    }

    /// The longest list the use case takes, of the longest references, goes through the form and is saved whole.
    @Test func theLongestListIsSavedWhole() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let references = (0..<Limits.c2bAccountReferencesCountMax).map { index in
                let stem = "é\(index)-"
                return stem + String(repeating: "X", count: Limits.c2bAccountReferenceCharactersMax - stem.count)
            }
            let saved = try await admin.submit(
                "/ui/settings/c2b-validation",
                fields: [
                    ("reject_unknown_account_references", "true"),
                    ("account_references", references.joined(separator: "\n")),
                ], client: client)
            #expect(saved.status == .seeOther, "\(saved.html.prefix(500))")
            let record = try await world.gateway.c2bValidation(in: world.acme, by: try DashboardWorld.root())
            #expect(record.accountReferences.count == references.count)
            #expect(record.accepts(accountReference: references[9_999]))
        }
    }
}
