import Foundation
import HTTPTypes
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// The payouts list and the reversal form of a payment's page, through the real router and engine against the
/// embedded sandbox: the roles, CSRF, errors next to their field, a double submit, another organization's id.
@Suite struct DashboardReversalTests {
    @Test func thePayoutsAreListedNewestFirstWithTheirFormLinkedForRolesThatPayOut() async throws {
        try await PayoutWorld.run { world, client in
            _ = try await world.paidPush(amount: 50)
            for (amount, remarks) in [(Int64(700), "April salary"), (800, "May salary")] {
                _ = try await world.gateway.payout(
                    PayoutParameters(
                        phone: "0708374149", amount: amount, command: "salary_payment", remarks: remarks,
                        occasion: nil),
                    in: world.acme, idempotency: nil, by: PayoutWorld.root)
            }
            var manager = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let list = try await manager.get("/ui/payouts", client: client)
            #expect(list.status == .ok)
            #expect(list.html.contains("<title>Payouts · Pesa Gateway</title>"))
            #expect(list.html.components(separatedBy: "<h1").count == 2)
            #expect(list.html.contains("<h1>Payouts</h1>"))
            #expect(list.html.contains("<a href=\"/ui/payouts\" aria-current=\"page\">Payouts</a>"))
            #expect(list.html.contains("<p><a href=\"/ui/payouts/new\">New payout</a></p>"))
            #expect(list.html.contains("<form method=\"get\" action=\"/ui/payouts\""))
            // The type is fixed: no type filter, no STK push listed, the newest payout first.
            #expect(!list.html.contains("id=\"f-type\""))
            #expect(!list.html.contains("KES 50.00"))
            let newer = try #require(list.html.range(of: "KES 800.00"))
            let older = try #require(list.html.range(of: "KES 700.00"))
            #expect(newer.lowerBound < older.lowerBound)
            let filtered = try await manager.get("/ui/payouts?status=succeeded", client: client)
            #expect(filtered.html.contains("No payments match these filters."))
            // A user reads the list but gets no payout form link.
            var user = try await PayoutWorld.browser(PayoutWorld.user, client: client)
            let read = try await user.get("/ui/payouts", client: client)
            #expect(read.status == .ok)
            #expect(read.html.contains("KES 800.00"))
            #expect(!read.html.contains("href=\"/ui/payouts/new\""))
        }
    }

    @Test func aReversalOfASucceededPaymentIsRecordedOnceAndItsResultShows() async throws {
        try await PayoutWorld.run { world, client in
            let paid = try await world.paidPush(amount: 300)
            #expect(paid.status == .succeeded)
            var admin = try await PayoutWorld.browser(PayoutWorld.admin, client: client)
            let path = "/ui/payments/\(paid.id.rawValue)"
            let page = try await admin.get(path, client: client)
            #expect(page.status == .ok)
            #expect(page.html.contains("<h2>Reverse</h2>"))
            #expect(page.html.contains("action=\"\(path)/reverse\""))
            #expect(page.html.contains("name=\"amount\" type=\"text\" inputmode=\"numeric\" required value=\"300\""))
            #expect(page.html.contains("at most KES 300.00"))
            let token = try #require(Browser.csrfToken(in: page.html))
            let fields = [
                ("csrf_token", token), ("idempotency_key", "reverse-1"), ("amount", "120"), ("remarks", "Refund"),
            ]
            // The first post sends nothing: it asks, the values and the same key in hidden fields.
            let asked = try await admin.post(path + "/reverse", form: fields, client: client)
            #expect(asked.status == .ok, "\(asked.html)")
            #expect(asked.html.contains("<title>Confirm the reversal"))
            #expect(asked.html.components(separatedBy: "<h1").count == 2)
            let receipt = try #require(paid.mpesaReceipt)
            #expect(
                asked.html.contains(
                    "Reverse KES 120.00 of payment \(paid.id.rawValue) (receipt \(receipt)) back to \(paid.phone)?"))
            #expect(asked.html.contains("class=\"env env-sandbox\">SANDBOX: test money only."))
            #expect(asked.html.contains("<dt>Payment amount</dt><dd>KES 300.00</dd>"))
            #expect(asked.html.contains("action=\"\(path)/reverse\""))
            PayoutWorld.expectHidden(fields, in: asked.html)
            #expect(try await world.reversals().isEmpty)
            // Edit: the payment's page with the form as typed, its key kept.
            let edit = try await admin.post(path + "/reverse", form: fields + [("confirm", "edit")], client: client)
            #expect(edit.status == .ok)
            #expect(edit.html.contains("<title>Payment \(paid.id.rawValue)"))
            #expect(edit.html.contains("required value=\"120\""))
            #expect(edit.html.contains("required value=\"Refund\""))
            #expect(edit.html.contains("name=\"idempotency_key\" value=\"reverse-1\""))
            #expect(try await world.reversals().isEmpty)
            // A Confirm by a manager (below org_admin) is refused, nothing sent.
            let confirmed = fields + [("confirm", "yes")]
            var manager = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let managerPage = try await manager.get(path, client: client)
            let managerToken = try #require(Browser.csrfToken(in: managerPage.html))
            let refusedRole = try await manager.post(
                path + "/reverse", form: [("csrf_token", managerToken)] + confirmed.dropFirst(), client: client)
            #expect(refusedRole.status == .forbidden)
            #expect(try await world.reversals().isEmpty)
            // Confirm sends once; a double click answers the first reversal.
            let first = try await admin.post(path + "/reverse", form: confirmed, client: client)
            #expect(first.status == .seeOther, "\(first.html)")
            let second = try await admin.post(path + "/reverse", form: confirmed, client: client)
            #expect(second.status == .seeOther, "\(second.html)")
            let location = try #require(first.headers[.location])
            #expect(second.headers[.location] == location)
            // Values changed under the sent form's key are refused, the page saying why.
            var tampered = confirmed
            tampered[2] = ("amount", "200")
            let refused = try await admin.post(path + "/reverse", form: tampered, client: client)
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("<title>Payment \(paid.id.rawValue)"))
            #expect(refused.html.contains("This form was already sent with other values."))
            let reversals = try await world.reversals()
            #expect(reversals.count == 1)
            let reversal = try #require(reversals.first)
            #expect(location == "/ui/payments/\(reversal.id.rawValue)")
            #expect(reversal.amount == Amount(shillings: 120))
            #expect(reversal.originalPaymentID == paid.id.rawValue)
            // While it is under way, the original's page offers no second reversal.
            let underWay = try await admin.get(path, client: client)
            #expect(!underWay.html.contains("<h2>Reverse</h2>"))
            try await world.deliverCallbacks(.reversalResult)
            let result = try await admin.get(location, client: client)
            #expect(result.status == .ok)
            #expect(result.html.contains("<dt>Status</dt><dd>succeeded</dd>"))
            #expect(result.html.contains("<dt>Type</dt><dd>reversal</dd>"))
            #expect(result.html.contains("<dt>Original payment</dt><dd>\(paid.id.rawValue)</dd>"))
            let original = try await admin.get(path, client: client)
            #expect(original.html.contains("<dt>Status</dt><dd>reversed</dd>"))
            #expect(original.html.contains("<dt>Amount reversed</dt><dd>KES 120.00</dd>"))
            #expect(!original.html.contains("<h2>Reverse</h2>"))
        }
    }

    @Test func aBadAmountIsShownNextToItsFieldAndRefusalsChangeNothing() async throws {
        try await PayoutWorld.run { world, client in
            let paid = try await world.paidPush(amount: 300)
            let path = "/ui/payments/\(paid.id.rawValue)"
            var admin = try await PayoutWorld.browser(PayoutWorld.admin, client: client)
            let page = try await admin.get(path, client: client)
            let token = try #require(Browser.csrfToken(in: page.html))
            var fields = [("csrf_token", token), ("idempotency_key", "k-1"), ("amount", "301"), ("remarks", "Refund")]
            let tooMuch = try await admin.post(path + "/reverse", form: fields, client: client)
            #expect(tooMuch.status == .unprocessableContent)
            #expect(tooMuch.html.contains("<p class=\"error\" id=\"amount-error\">amount is more than the payment"))
            #expect(tooMuch.html.contains("value=\"301\""))
            #expect(tooMuch.html.contains("value=\"Refund\""))
            #expect(tooMuch.html.contains("<title>Payment \(paid.id.rawValue)"))
            fields[2] = ("amount", "ten")
            let words = try await admin.post(path + "/reverse", form: fields, client: client)
            #expect(words.status == .unprocessableContent)
            #expect(words.html.contains("id=\"amount-error\""))
            #expect(words.html.contains("value=\"ten\""))
            fields[2] = ("amount", "100")
            let forged = try await admin.post(path + "/reverse", form: Array(fields.dropFirst()), client: client)
            #expect(forged.status == .forbidden)
            #expect(forged.html.contains("Form refused"))
            // A manager (below org_admin, as for POST /v1/reversals) gets neither the form nor the reversal.
            var manager = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let seen = try await manager.get(path, client: client)
            #expect(seen.status == .ok)
            #expect(!seen.html.contains("<h2>Reverse</h2>"))
            let managerToken = try #require(Browser.csrfToken(in: seen.html))
            fields[0] = ("csrf_token", managerToken)
            let refused = try await manager.post(path + "/reverse", form: fields, client: client)
            #expect(refused.status == .forbidden)
            // Another organization's payment is not found, as in the API.
            let globex = try await world.gateway.stkPush(
                STKPushParameters(phone: "0708374149", amount: 10, accountReference: "G-1", description: "Globex"),
                in: world.globex, idempotency: nil, by: PayoutWorld.root)
            let foreign = "/ui/payments/\(globex.payment.id.rawValue)"
            fields[0] = ("csrf_token", token)
            #expect(try await admin.get(foreign, client: client).status == .notFound)
            #expect(try await admin.post(foreign + "/reverse", form: fields, client: client).status == .notFound)
            #expect(try await world.reversals().isEmpty)
        }
    }
}
