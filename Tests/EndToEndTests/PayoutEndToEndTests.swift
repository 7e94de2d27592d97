import Foundation
import PesaTesting
import Testing

/// Payouts, reversals, balance checks, transaction status and C2B registration through the real server and
/// its embedded sandbox over loopback, callbacks included.
@Suite(.serialized) struct PayoutEndToEndTests {
    let payments = PaymentEndToEndTests()

    /// The demo org_admin's password, printed by `pesa serve --demo`.
    func demoAdminToken(_ server: ServerProcess) async throws -> String {
        guard let found = try await server.printedMatch(#"password demo-[a-z0-9]+"#) else {
            throw ServerError("no demo password printed: \(server.printed)")
        }
        let password = String(found.dropFirst("password ".count))
        let (status, body) = try await server.request(
            "POST", "/v1/auth/login", json: ["email": "demo@pesa.local", "password": password])
        #expect(status == 200)
        return try #require(body?["access_token"] as? String)
    }

    func poll(_ server: ServerProcess, _ path: String, token: String, until done: ([String: Any]) -> Bool)
        async throws -> [String: Any]
    {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let (status, body) = try await server.request("GET", path, token: token)
            if status == 200, let body, done(body) { return body }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServerError("\(path) did not get there")
    }

    func error(_ body: [String: Any]?) -> [String: Any]? { body?["error"] as? [String: Any] }

    @Test func moneyOutAndQueriesEndToEnd() async throws {
        let temp = TemporaryDirectory("e2e-payout")
        defer { temp.remove() }
        let server = ServerProcess(
            dataDirectory: temp.path,
            environment: ["PESA_SANDBOX_CALLBACK_DELAY_MS": "20", "PESA_RECONCILE_AFTER_S": "1"])
        try await server.start(["--demo"])
        defer { server.stop() }
        let key = try await payments.demoKey(server)  // manager
        let admin = try await demoAdminToken(server)

        // A payout, settled by its result callback.
        let payout: [String: Any] = [
            "phone": "0708374149", "amount": 250, "command": "business_payment", "remarks": "Refund", "occasion": "May",
        ]
        let (created, paid) = try await server.request(
            "POST", "/v1/payouts", token: key, json: payout)
        #expect(created == 201)
        let payoutID = try #require(paid?["id"] as? String)
        #expect(paid?["type"] as? String == "b2c")
        #expect(paid?["command"] as? String == "business_payment")
        let settledPayout = try await payments.waitForStatus(server, payoutID, key: key)
        #expect(settledPayout["status"] as? String == "succeeded")
        #expect(settledPayout["mpesa_receipt"] as? String != nil)

        // Bad input: the field is named, nothing is created.
        var wrong = payout
        wrong["command"] = "gift"
        let (invalid, invalidBody) = try await server.request("POST", "/v1/payouts", token: key, json: wrong)
        #expect(invalid == 422)
        #expect(error(invalidBody)?["param"] as? String == "command")
        let (malformed, _) = try await server.request(
            "POST", "/v1/payouts", token: key, body: Data("{\"phone\":".utf8),
            headers: ["Content-Type": "application/json"])
        #expect(malformed == 400)

        // A payout whose result never comes is settled by a transaction-status query.
        let (_, lost) = try await server.request(
            "POST", "/v1/payouts", token: key,
            json: ["phone": "254700000009", "amount": 100, "command": "salary_payment", "remarks": "Salary"])
        let lostID = try #require(lost?["id"] as? String)
        let reconciled = try await payments.waitForStatus(server, lostID, key: key)
        #expect(reconciled["status"] as? String == "succeeded")
        let lostTimeline = (reconciled["events"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
        #expect(lostTimeline.contains("query.sent"))

        // A reversal: org_admin only; the original becomes reversed.
        let (_, push, _) = try await payments.push(server, key: key, phone: "0708374149")
        let pushID = try #require(push?["id"] as? String)
        let receipt = try #require(
            try await payments.waitForStatus(server, pushID, key: key)["mpesa_receipt"] as? String)
        let reversalBody: [String: Any] = ["mpesa_receipt": receipt, "amount": 10, "remarks": "Wrong order"]
        let (forbidden, _) = try await server.request("POST", "/v1/reversals", token: key, json: reversalBody)
        #expect(forbidden == 403)
        let (reversed, reversal) = try await server.request("POST", "/v1/reversals", token: admin, json: reversalBody)
        #expect(reversed == 201)
        let reversalID = try #require(reversal?["id"] as? String)
        #expect(reversal?["original_payment_id"] as? String == pushID)
        #expect(try await payments.waitForStatus(server, reversalID, key: key)["status"] as? String == "succeeded")
        #expect(
            try await payments.waitForStatus(server, pushID, key: key, notEqual: "succeeded")["status"] as? String
                == "reversed")
        let (again, againBody) = try await server.request("POST", "/v1/reversals", token: admin, json: reversalBody)
        #expect(again == 409, "\(String(describing: againBody))")

        // A balance check, answered by callback.
        let (accepted, check) = try await server.request("POST", "/v1/balance-checks", token: key)
        #expect(accepted == 202)
        let checkID = try #require(check?["id"] as? String)
        _ = try await poll(server, "/v1/balance-checks/\(checkID)", token: key) {
            $0["status"] as? String == "completed"
        }
        let (_, balance) = try await server.request("GET", "/v1/balance", token: key)
        let accounts = balance?["data"] as? [[String: Any]] ?? []
        #expect(accounts.contains { $0["account"] as? String == "Working Account" })
        #expect(balance?["as_of"] as? String != nil)

        // Transaction status by receipt.
        let (statusAccepted, status) = try await server.request(
            "POST", "/v1/transaction-status", token: key, json: ["mpesa_receipt": receipt])
        #expect(statusAccepted == 202)
        let statusID = try #require(status?["id"] as? String)
        let answered = try await poll(server, "/v1/transaction-status/\(statusID)", token: key) {
            $0["status"] as? String != "pending"
        }
        #expect((answered["result"] as? [String: Any])?["ReceiptNo"] as? String == receipt)
        let keyed = ["Idempotency-Key": "status-1"]
        let (firstKeyed, first) = try await server.request(
            "POST", "/v1/transaction-status", token: key, json: ["mpesa_receipt": receipt], headers: keyed)
        let (_, replayed, replayHeaders) = try await server.raw(
            "POST", "/v1/transaction-status", token: key, json: ["mpesa_receipt": receipt], headers: keyed)
        #expect(firstKeyed == 202)
        #expect(replayHeaders["idempotency-hit"] == "true")
        let replayedID = ((try? JSONSerialization.jsonObject(with: replayed)) as? [String: Any])?["id"] as? String
        #expect(replayedID == first?["id"] as? String)
        let (reused, _) = try await server.request(
            "POST", "/v1/transaction-status", token: key, json: ["payment_id": pushID], headers: keyed)
        #expect(reused == 409)
        let (badStatus, badStatusBody) = try await server.request(
            "POST", "/v1/transaction-status", token: key, json: ["mpesa_receipt": "no"])
        #expect(badStatus == 422)
        #expect(error(badStatusBody)?["param"] as? String == "mpesa_receipt")

        // C2B URLs: the organization's own callback URLs.
        let (registered, registration) = try await server.request("POST", "/v1/c2b/register-urls", token: admin)
        #expect(registered == 200)
        #expect((registration?["confirmation_url"] as? String)?.hasSuffix("/c2b/confirmation") == true)
        // C2B validation: accepted by default; only known account references once the organization says so.
        let base = try #require(registration?["validation_url"] as? String)
        let validation = Data(
            (#"{"TransactionType":"Pay Bill","TransID":"","TransAmount":"10","BusinessShortCode":"174379","#
                + #""BillRefNumber":"INV-9","MSISDN":"254708374149"}"#)
                .utf8)
        let path = String(base.dropFirst(server.baseURL.count))
        let (open, openBody) = try await server.request(
            "POST", path, body: validation, headers: ["Content-Type": "application/json"])
        #expect(open == 200)
        #expect(openBody?["ResultCode"] as? Int == 0)
        let (set, policy) = try await server.request(
            "PUT", "/v1/c2b/validation", token: admin,
            json: ["reject_unknown_account_references": true, "account_references": ["INV-1"]])
        #expect(set == 200)
        #expect(policy?["account_references"] as? [String] == ["INV-1"])
        let (closed, closedBody) = try await server.request(
            "POST", path, body: validation, headers: ["Content-Type": "application/json"])
        #expect(closed == 200)
        #expect(closedBody?["ResultCode"] as? String == "C2B00012")
        let (badPolicy, _) = try await server.request(
            "PUT", "/v1/c2b/validation", token: admin, json: ["account_references": ["INV-1"]])
        #expect(badPolicy == 422)
        let (audit, log) = try await server.request("GET", "/v1/audit-log?limit=500", token: admin)
        #expect(audit == 200)
        let actions = Set((log?["data"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String })
        #expect(
            actions.isSuperset(of: [
                "payment.payout", "payment.reversal", "query.balance", "c2b.register_urls", "c2b.validation_set",
            ]))
    }
}
