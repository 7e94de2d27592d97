import Foundation
import HTTPTypes
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// The payout form through the real router and engine against the embedded sandbox: errors next to their
/// fields, CSRF, a double submit, and the roles that may open the payout and batch pages.
@Suite struct DashboardPayoutsTests {
    @Test func aPayoutIsConfirmedBeforeItIsSentAndADoubleConfirmSendsOnce() async throws {
        try await PayoutWorld.run { world, client in
            var browser = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let form = try await browser.get("/ui/payouts/new", client: client)
            #expect(form.status == .ok)
            #expect(form.html.contains("<title>Send a payout"))
            #expect(form.html.contains("class=\"env env-sandbox\">SANDBOX: test money only."))
            #expect(form.html.contains("<option value=\"salary_payment\">SalaryPayment</option>"))
            let token = try #require(Browser.csrfToken(in: form.html))
            let key = try #require(PayoutWorld.value(of: "idempotency_key", in: form.html))
            let fields = [
                ("csrf_token", token), ("idempotency_key", key), ("command", "salary_payment"),
                ("phone", "0708374149"), ("amount", "1500"), ("remarks", "May salary"), ("occasion", ""),
            ]
            // The first post sends nothing: it asks, the values and the same key in hidden fields.
            let asked = try await browser.post("/ui/payouts/new", form: fields, client: client)
            #expect(asked.status == .ok, "\(asked.html)")
            #expect(asked.html.contains("<title>Confirm the payout"))
            #expect(asked.html.components(separatedBy: "<h1").count == 2)
            #expect(asked.html.contains("Send KES 1,500.00 to 254708374149 from short code 174379 (sandbox)?"))
            #expect(asked.html.contains("class=\"env env-sandbox\">SANDBOX: test money only."))
            #expect(asked.html.contains("<dt>Remarks</dt><dd>May salary</dd>"))
            PayoutWorld.expectHidden(fields, in: asked.html)
            #expect(asked.html.contains("name=\"confirm\" value=\"yes\">Confirm</button>"))
            #expect(try await world.payouts().isEmpty)
            // Edit: the form again as typed, its key kept; still nothing sent.
            let edit = try await browser.post("/ui/payouts/new", form: fields + [("confirm", "edit")], client: client)
            #expect(edit.status == .ok)
            #expect(edit.html.contains("<title>Send a payout"))
            #expect(edit.html.contains("value=\"0708374149\""))
            #expect(edit.html.contains("value=\"1500\""))
            #expect(edit.html.contains("<option value=\"salary_payment\" selected>"))
            #expect(PayoutWorld.value(of: "idempotency_key", in: edit.html) == key)
            #expect(try await world.payouts().isEmpty)
            // A Confirm without the session's CSRF token is refused, nothing sent.
            let confirmed = fields + [("confirm", "yes")]
            let forged = try await browser.post("/ui/payouts/new", form: Array(confirmed.dropFirst()), client: client)
            #expect(forged.status == .forbidden)
            #expect(try await world.payouts().isEmpty)
            // Confirm sends once; a double click answers the first payout.
            let first = try await browser.post("/ui/payouts/new", form: confirmed, client: client)
            #expect(first.status == .seeOther, "\(first.html)")
            let second = try await browser.post("/ui/payouts/new", form: confirmed, client: client)
            #expect(second.status == .seeOther)
            let location = try #require(first.headers[.location])
            #expect(second.headers[.location] == location)
            #expect(location.hasPrefix("/ui/payments/pay_"))
            let page = try await browser.get(location, client: client)
            #expect(page.status == .ok)
            #expect(page.html.contains("KES 1,500.00"))
            #expect(page.html.contains("<dt>Remarks</dt><dd>May salary</dd>"))
            #expect(page.html.contains("<dt>Command</dt><dd>salary_payment</dd>"))
            let payouts = try await world.payouts()
            #expect(payouts.count == 1)
            #expect(payouts.first?.amount == Amount(shillings: 1500))
            // Values changed under the sent form's key are refused, the page saying why; nothing more sent.
            var tampered = confirmed
            tampered[4] = ("amount", "9000")
            let refused = try await browser.post("/ui/payouts/new", form: tampered, client: client)
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("<title>Send a payout"))
            #expect(refused.html.contains("This form was already sent with other values."))
            #expect(refused.html.contains("value=\"9000\""))
            #expect(try await world.payouts().count == 1)
        }
    }

    @Test func aSuperAdminConfirmsAPayoutForTheOrganizationItActsFor() async throws {
        try await PayoutWorld.run { world, client in
            var root = try await PayoutWorld.browser(DashboardWorld.operatorEmail, client: client)
            let path = "/ui/payouts/new?org=\(world.acme.rawValue)"
            let form = try await root.get(path, client: client)
            #expect(form.status == .ok, "\(form.html)")
            let token = try #require(Browser.csrfToken(in: form.html))
            let key = try #require(PayoutWorld.value(of: "idempotency_key", in: form.html))
            let fields = [
                ("csrf_token", token), ("idempotency_key", key), ("command", "business_payment"),
                ("phone", "0708374149"), ("amount", "250"), ("remarks", "Refund"), ("occasion", ""),
            ]
            let asked = try await root.post(path, form: fields, client: client)
            #expect(asked.status == .ok, "\(asked.html)")
            #expect(asked.html.contains("Send KES 250.00 to 254708374149 from short code 174379 (sandbox)?"))
            #expect(asked.html.contains("action=\"\(path)\""))
            #expect(try await world.payouts().isEmpty)
            let sent = try await root.post(path, form: fields + [("confirm", "yes")], client: client)
            #expect(sent.status == .seeOther, "\(sent.html)")
            #expect(sent.headers[.location]?.hasSuffix("?org=\(world.acme.rawValue)") == true)
            #expect(try await world.payouts().map(\.amount) == [Amount(shillings: 250)])
        }
    }

    @Test func theFormKeepsWhatWasTypedAndNamesTheFieldInError() async throws {
        try await PayoutWorld.run { world, client in
            var browser = try await PayoutWorld.browser(PayoutWorld.admin, client: client)
            let form = try await browser.get("/ui/payouts/new", client: client)
            let token = try #require(Browser.csrfToken(in: form.html))
            var fields = [
                ("csrf_token", token), ("idempotency_key", "form-1"), ("command", "business_payment"),
                ("phone", "0708374149"), ("amount", "ten"), ("remarks", "<script>alert(1)</script>"),
                ("occasion", ""),
            ]
            let amount = try await browser.post("/ui/payouts/new", form: fields, client: client)
            #expect(amount.status == .unprocessableContent)
            #expect(amount.html.contains("id=\"amount-error\""))
            #expect(amount.html.contains("value=\"ten\""))
            fields[4] = ("amount", "100")
            let remarks = try await browser.post("/ui/payouts/new", form: fields, client: client)
            #expect(remarks.status == .unprocessableContent)
            #expect(remarks.html.contains("id=\"remarks-error\""))
            #expect(remarks.html.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
            #expect(!remarks.html.contains("<script>"))
            fields[5] = ("remarks", "Refund")
            fields[3] = ("phone", "12345")
            let phone = try await browser.post("/ui/payouts/new", form: fields, client: client)
            #expect(phone.html.contains("id=\"phone-error\""))
            #expect(phone.html.contains("value=\"12345\""))
            #expect(phone.html.contains("value=\"Refund\""))
            fields[2] = ("command", "gift")
            fields[3] = ("phone", "0708374149")
            let command = try await browser.post("/ui/payouts/new", form: fields, client: client)
            #expect(command.html.contains("id=\"command-error\""))
            // Without the session's CSRF token: refused, nothing sent.
            let forged = try await browser.post("/ui/payouts/new", form: Array(fields.dropFirst()), client: client)
            #expect(forged.status == .forbidden)
            #expect(forged.html.contains("Form refused"))
            fields[0] = ("csrf_token", "not-the-token")
            fields[2] = ("command", "business_payment")
            let wrong = try await browser.post("/ui/payouts/new", form: fields, client: client)
            #expect(wrong.status == .forbidden)
            #expect(try await world.payouts().isEmpty)
        }
    }

    @Test func aUserMayNeitherPayOutNorSeeBatches() async throws {
        try await PayoutWorld.run { world, client in
            var user = try await PayoutWorld.browser(PayoutWorld.user, client: client)
            let overview = try await user.get("/ui/", client: client)
            #expect(overview.status == .ok)
            #expect(!overview.html.contains("href=\"/ui/payouts/new\""))
            #expect(!overview.html.contains("href=\"/ui/batches\""))
            let token = try #require(Browser.csrfToken(in: overview.html))
            for path in ["/ui/payouts/new", "/ui/batches", "/ui/batches/new"] {
                let page = try await user.get(path, client: client)
                #expect(page.status == .forbidden, "\(path)")
                #expect(page.html.contains("your role may not do this"))
            }
            let payout = try await user.post(
                "/ui/payouts/new",
                form: [
                    ("csrf_token", token), ("command", "business_payment"), ("phone", "0708374149"),
                    ("amount", "100"), ("remarks", "Refund"),
                ], client: client)
            #expect(payout.status == .forbidden)
            let batch = try await user.post(
                "/ui/batches/new",
                form: [("csrf_token", token), ("csv_text", "phone,amount,reference\n0708374149,100,Pay 1\n")],
                client: client)
            #expect(batch.status == .forbidden)
            #expect(try await world.payouts().isEmpty)
            #expect(try await world.batches().isEmpty)
            // A manager's menu has both pages.
            var manager = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let menu = try await manager.get("/ui/", client: client)
            #expect(menu.html.contains("<a href=\"/ui/payouts\">Payouts</a>"))
            #expect(menu.html.contains("<a href=\"/ui/batches\">Batches</a>"))
        }
    }
}
