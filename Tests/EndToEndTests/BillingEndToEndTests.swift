import Foundation
import PesaTesting
import Testing

/// Billing through the real `pesa serve` over loopback: a super admin's run for the month in progress makes
/// drafts (never final: the month has not ended), an organization's admin reads its own invoice as JSON, as a
/// printable page with the operator's details and as CSV, and another organization's never; plan changes and
/// bad input get the contract's errors; a subscription past due carries `Pesa-Billing-Warning`, a suspended one
/// is refused new payments (402 saying how to pay) while its reads go on; and all of it survives a restart.
@Suite(.serialized) struct BillingEndToEndTests {
    let sessions = SessionEndToEndTests()

    func error(_ body: [String: Any]?) -> [String: Any]? { body?["error"] as? [String: Any] }

    @Test func invoicesSubscriptionAndWarningsThroughTheServer() async throws {
        try await sessions.withAcme("e2e-billing") { server, root, acmeID in
            let boss = try await sessions.login(server, "boss@acme.co.ke", "boss-password-1")
            let (_, globex) = try await server.request(
                "POST", "/v1/orgs", token: root, json: ["name": "Globex", "slug": "globex", "plan": "business"])
            let globexID = try #require(globex?["id"] as? String)
            let globexBoss = ["email": "boss@globex.co.ke", "password": "boss-password-2", "role": "org_admin"]
            let made = try await server.request("POST", "/v1/orgs/\(globexID)/users", token: root, json: globexBoss)
            #expect(made.0 == 201)
            let other = try await sessions.login(server, "boss@globex.co.ke", "boss-password-2")

            // Settings: the operator printed on invoices; bad values are 422 naming the field.
            let (saved, settings) = try await server.request(
                "PATCH", "/v1/admin/billing/settings", token: root,
                json: ["operator_name": "Pesa Operator <Ltd>", "operator_kra_pin": "P051234567X",
                       "operator_address": "Box 1, Nairobi"])
            #expect(saved == 200)
            #expect(settings?["vat_basis_points"] as? Int == 1_600)
            let (badVAT, badBody) = try await server.request(
                "PATCH", "/v1/admin/billing/settings", token: root, json: ["vat_basis_points": 20_000])
            #expect(badVAT == 422)
            #expect(error(badBody)?["param"] as? String == "vat_basis_points")
            #expect(try await server.request("GET", "/v1/admin/billing/settings", token: boss).0 == 403)

            // A run for the month in progress: drafts, not final; a month to come or a bad one is 422.
            let month = UsageEndToEndTests.currentMonth()
            let (ran, run) = try await server.request(
                "POST", "/v1/admin/billing/runs", token: root, json: ["month": month, "finalize": true])
            #expect(ran == 200)
            #expect(run?["finalized"] as? Bool == false)
            #expect(run?["timezone"] as? String == "Africa/Nairobi (EAT, UTC+3)")
            for bad in ["2026-13", "3000-01", ""] {
                let (status, body) = try await server.request(
                    "POST", "/v1/admin/billing/runs", token: root, json: ["month": bad])
                #expect(status == 422, "\(bad)")
                #expect(error(body)?["param"] as? String == "month")
            }
            #expect(try await server.request("POST", "/v1/admin/billing/runs", token: boss, json: ["month": month]).0
                == 403)

            let (listed, list) = try await server.request("GET", "/v1/invoices", token: boss)
            #expect(listed == 200)
            let invoices = try #require(list?["data"] as? [[String: Any]])
            try #require(invoices.count == 1)
            let invoice = invoices[0]
            let invoiceID = try #require(invoice["id"] as? String)
            #expect(invoice["status"] as? String == "draft")
            #expect(invoice["number"] is NSNull)
            #expect(invoice["month"] as? String == month)
            let lines = try #require(invoice["lines"] as? [[String: Any]])
            #expect(lines.map { $0["item"] as? String } == ["plan_fee", "api_calls", "transactions"])
            #expect((lines[0]["source"] as? [String: Any])?["seq_from"] is Int)

            // The printable page and the CSV; another organization's admin gets 404 for all three.
            let (page, html, pageHeaders) = try await server.raw("GET", "/v1/invoices/\(invoiceID).html", token: boss)
            #expect(page == 200)
            #expect(pageHeaders["content-type"]?.hasPrefix("text/html") == true)
            let text = String(decoding: html, as: UTF8.self)
            #expect(text.contains("Pesa Operator &lt;Ltd&gt;"))
            #expect(text.contains("P051234567X"))
            #expect(text.contains("<h1>"))
            let (csvStatus, csv, csvHeaders) = try await server.raw("GET", "/v1/invoices/\(invoiceID).csv", token: boss)
            #expect(csvStatus == 200)
            #expect(csvHeaders["content-type"]?.hasPrefix("text/csv") == true)
            let rows = String(decoding: csv, as: UTF8.self).split(separator: "\n")
            #expect(rows.first == "item,description,used,included,quantity,unit_amount,amount,seq_from,seq_to")
            #expect(rows.count == 1 + lines.count + 3)
            for suffix in ["", ".html", ".csv"] {
                #expect(try await server.raw("GET", "/v1/invoices/\(invoiceID)\(suffix)", token: other).0 == 404)
            }
            let (otherList, others) = try await server.request("GET", "/v1/invoices", token: other)
            #expect(otherList == 200)
            #expect((others?["data"] as? [[String: Any]])?.contains { $0["id"] as? String == invoiceID } == false)
            #expect(try await server.raw("GET", "/v1/invoices/inv_nope.pdf", token: boss).0 == 422)
            let (draftPay, draftBody) = try await server.request(
                "POST", "/v1/invoices/\(invoiceID)/pay", token: boss, json: ["phone": "0708374149"])
            #expect(draftPay == 409)
            #expect(error(draftBody)?["code"] as? String != nil)

            // Plan changes by the admin: a dearer plan at once, an unknown one 422.
            let (upgraded, subscription) = try await server.request(
                "PATCH", "/v1/subscription", token: boss, json: ["plan": "business"])
            #expect(upgraded == 200)
            #expect((subscription?["plan"] as? [String: Any])?["name"] as? String == "business")
            let (unknown, unknownBody) = try await server.request(
                "PATCH", "/v1/subscription", token: boss, json: ["plan": "gold"])
            #expect(unknown == 422)
            #expect(error(unknownBody)?["param"] as? String == "plan")

            // Past due by hand (a reason is required): every answer to the organization carries the warning.
            let (noReason, noReasonBody) = try await server.request(
                "PATCH", "/v1/orgs/\(acmeID)", token: root, json: ["subscription_status": "past_due"])
            #expect(noReason == 422)
            #expect(error(noReasonBody)?["param"] as? String == "reason")
            #expect(try await server.request(
                "PATCH", "/v1/orgs/\(acmeID)", token: root,
                json: ["subscription_status": "past_due", "reason": "cheque bounced"]).0 == 200)
            let (_, _, warned) = try await server.raw("GET", "/v1/subscription", token: boss)
            #expect(warned["pesa-billing-warning"]?.hasPrefix("past_due") == true)
            let (_, _, notWarned) = try await server.raw("GET", "/v1/subscription", token: other)
            #expect(notWarned["pesa-billing-warning"] == nil)

            // Suspended: a new payment is 402 saying why; reads go on, invoices included; after a restart too.
            #expect(try await server.request(
                "PATCH", "/v1/orgs/\(acmeID)", token: root,
                json: ["subscription_status": "suspended", "reason": "unpaid since October"]).0 == 200)
            let push: [String: Any] = [
                "phone": "0708374149", "amount": 10, "account_reference": "INV-1", "description": "Order",
            ]
            let (refused, refusedBody) = try await server.request(
                "POST", "/v1/payments/stk-push", token: boss, json: push)
            #expect(refused == 402)
            #expect((error(refusedBody)?["message"] as? String)?.contains("unpaid since October") == true)
            server.stop()
            try await server.start()
            let again = try await sessions.login(server, "boss@acme.co.ke", "boss-password-1")
            #expect(try await server.request("POST", "/v1/payments/stk-push", token: again, json: push).0 == 402)
            let (read, readBody) = try await server.request("GET", "/v1/invoices/\(invoiceID)", token: again)
            #expect(read == 200)
            #expect(readBody?["id"] as? String == invoiceID)
            let (status, current) = try await server.request("GET", "/v1/subscription", token: again)
            #expect(status == 200)
            #expect(current?["status"] as? String == "suspended")
            #expect(current?["status_reason"] as? String == "unpaid since October")
        }
    }
}
