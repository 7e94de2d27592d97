import Foundation
import PesaTesting
import Testing

/// One organization with a paybill, a till and a B2C short code, each its own Daraja app, through the real
/// server and its embedded sandbox over loopback: it collects on the paybill and the till and pays out from the
/// B2C short code, every payment naming its short code; a wrong consumer key on one profile fails its check and
/// its requests while the others go on; money paid to a short code the organization does not hold stays an
/// orphan.
@Suite(.serialized) struct ShortCodeProfilesEndToEndTests {
    let payments = PaymentEndToEndTests()
    let payouts = PayoutEndToEndTests()

    static let tillPasskey = "7a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
    static let secrets = ["till-consumer-secret-0001", "b2c-consumer-secret-0002", tillPasskey, "Safaricom999!*!"]

    static func serverEnvironment() -> [String: String] {
        ["PESA_SANDBOX_CALLBACK_DELAY_MS": "20", "PESA_SANDBOX_PASSKEYS": "600100=\(tillPasskey)"]
    }

    static var till: [String: Any] { [
        "label": "Canteen till", "environment": "sandbox", "short_code": "600100", "kind": "till",
        "till_number": "600101", "consumer_key": "till-consumer-key-0001", "consumer_secret": secrets[0],
        "passkey": tillPasskey,
    ] }
    static var b2c: [String: Any] { [
        "label": "Payouts", "environment": "sandbox", "short_code": "600200", "kind": "b2c",
        "consumer_key": "b2c-consumer-key-0002", "consumer_secret": secrets[1], "initiator_name": "testapi",
        "initiator_password": secrets[3],
    ] }

    /// A push from a phone of its own each time (the sandbox, like Daraja, refuses a second push to a phone
    /// that has one in progress).
    func push(_ server: ServerProcess, key: String, shortCode: String?) async throws -> (Int, [String: Any]?) {
        let phone = "2547083\(Int.random(in: 10_000...99_999))"
        var body: [String: Any] = [
            "phone": phone, "amount": 10, "account_reference": "INV-7", "description": "Lunch",
        ]
        if let shortCode { body["short_code"] = shortCode }
        return try await server.request("POST", "/v1/payments/stk-push", token: key, json: body)
    }

    /// Every answer is checked for the secrets in clear: none may ever be echoed.
    func expectNoSecret(_ body: [String: Any]?, _ where_: String) throws {
        guard let body else { return }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        for secret in Self.secrets { #expect(!text.contains(secret), "\(where_) shows a secret") }
    }

    @Test func threeProfilesCollectPayOutAndStayApart() async throws {
        let temp = TemporaryDirectory("e2e-short-codes")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path, environment: Self.serverEnvironment())
        try await server.start(["--demo"])
        defer { server.stop() }
        let key = try await payments.demoKey(server)  // manager
        let admin = try await payouts.demoAdminToken(server)

        // The demo's credential set is its default paybill; a till and a B2C short code join it.
        let (tillStatus, till) = try await server.request("POST", "/v1/short-codes", token: admin, json: Self.till)
        #expect(tillStatus == 201, "\(String(describing: till))")
        try expectNoSecret(till, "POST /v1/short-codes")
        let tillID = try #require(till?["id"] as? String)
        #expect(tillID.hasPrefix("sc_"))
        #expect(till?["default"] as? Bool == true)  // the first till
        #expect(till?["consumer_secret"] as? String == "****0001")
        #expect(till?["passkey"] as? String == "****e8f9")
        let (b2cStatus, b2c) = try await server.request("POST", "/v1/short-codes", token: admin, json: Self.b2c)
        #expect(b2cStatus == 201)
        let b2cID = try #require(b2c?["id"] as? String)
        #expect(b2c?["initiator_password"] as? String == "********")

        // A manager reads them (masked), may not write them.
        let (listed, list) = try await server.request("GET", "/v1/short-codes", token: key)
        #expect(listed == 200)
        try expectNoSecret(list, "GET /v1/short-codes")
        let profiles = try #require(list?["data"] as? [[String: Any]])
        #expect(Set(profiles.compactMap { $0["short_code"] as? String }) == ["174379", "600100", "600200"])
        let (managerWrite, _) = try await server.request("POST", "/v1/short-codes", token: key, json: Self.till)
        #expect(managerWrite == 403)

        // Collect on the default paybill and on the till (by number and by id); pay out from the B2C default.
        let (_, onPaybill) = try await push(server, key: key, shortCode: nil)
        let (tillPush, onTill) = try await push(server, key: key, shortCode: "600100")
        #expect(tillPush == 201, "\(String(describing: onTill))")
        let (_, onTillByID) = try await push(server, key: key, shortCode: tillID)
        let (payoutStatus, payout) = try await server.request(
            "POST", "/v1/payouts", token: key,
            json: ["phone": "0708374149", "amount": 100, "command": "business_payment", "remarks": "Refund"])
        #expect(payoutStatus == 201)
        let expected = [(onPaybill, "174379"), (onTill, "600100"), (onTillByID, "600100"), (payout, "600200")]
        for (answer, shortCode) in expected {
            let id = try #require(answer?["id"] as? String)
            #expect(answer?["short_code"] as? String == shortCode)
            let settled = try await payments.waitForStatus(server, id, key: key)
            #expect(settled["status"] as? String == "succeeded", "\(shortCode): \(settled)")
            #expect(settled["short_code"] as? String == shortCode)
        }
        #expect(onTill?["short_code_id"] as? String == tillID)
        #expect(payout?["short_code_id"] as? String == b2cID)

        // Lists filter by short code; a short code the organization does not hold is a 422 naming the field.
        let (_, tillList) = try await server.request("GET", "/v1/transactions?short_code=600100", token: key)
        let tillPayments = try #require(tillList?["data"] as? [[String: Any]])
        #expect(tillPayments.count == 2)
        #expect(tillPayments.allSatisfy { $0["short_code"] as? String == "600100" })
        for path in ["/v1/transactions?short_code=999999", "/v1/balance?short_code=999999"] {
            let (status, body) = try await server.request("GET", path, token: key)
            #expect(status == 422, "\(path)")
            #expect(payouts.error(body)?["param"] as? String == "short_code")
        }
        for shortCode in ["999999", "600200", "sc_00000000000000000000000000"] {
            let (status, body) = try await push(server, key: key, shortCode: shortCode)
            #expect(status == 422, "push on \(shortCode)")
            #expect(payouts.error(body)?["param"] as? String == "short_code")
        }

        // A balance check of one profile leaves that profile's balance.
        let (checked, check) = try await server.request(
            "POST", "/v1/balance-checks", token: key, json: ["short_code": "600200"])
        #expect(checked == 202)
        #expect(check?["short_code"] as? String == "600200")
        let balance = try await payouts.poll(server, "/v1/balance?short_code=600200", token: key) { body in
            !((body["data"] as? [[String: Any]]) ?? []).isEmpty
        }
        let accounts = try #require(balance["data"] as? [[String: Any]])
        #expect(accounts.allSatisfy { $0["short_code"] as? String == "600200" })
        let (_, paybillBalance) = try await server.request("GET", "/v1/balance?short_code=174379", token: key)
        #expect((paybillBalance?["data"] as? [[String: Any]])?.isEmpty == true)

        // A wrong consumer key: the check fails with Daraja's words, that profile's pushes fail clearly, the
        // other profiles go on.
        let (patched, patchedBody) = try await server.request(
            "PATCH", "/v1/short-codes/\(tillID)", token: admin, json: ["consumer_key": "invalid-key-0003"])
        #expect(patched == 200)
        #expect(patchedBody?["consumer_key"] as? String == "****0003")
        #expect(patchedBody?["passkey"] as? String == "****e8f9")  // unchanged: not named
        let (verifyStatus, verify) = try await server.request(
            "POST", "/v1/short-codes/\(tillID)/verify", token: admin)
        #expect(verifyStatus == 200)
        #expect(verify?["ok"] as? Bool == false)
        #expect((verify?["error"] as? String)?.contains("Invalid Authentication passed") == true)
        let (_, tillNow) = try await server.request("GET", "/v1/short-codes/\(tillID)", token: key)
        let verification = try #require(tillNow?["last_verification"] as? [String: Any])
        #expect(verification["ok"] as? Bool == false)
        let (refusedStatus, refused) = try await push(server, key: key, shortCode: "600100")
        #expect(refusedStatus == 502, "\(String(describing: refused))")
        #expect((payouts.error(refused)?["message"] as? String)?.isEmpty == false)
        let (_, good) = try await server.request("POST", "/v1/short-codes/\(b2cID)/verify", token: admin)
        #expect(good?["ok"] as? Bool == true)
        #expect(good?["error"] is NSNull)
        let (paybillStatus, stillWorks) = try await push(server, key: key, shortCode: "174379")
        #expect(paybillStatus == 201)
        let stillID = try #require(stillWorks?["id"] as? String)
        #expect(try await payments.waitForStatus(server, stillID, key: key)["status"] as? String == "succeeded")

        // Money paid to a short code the organization does not hold is an orphan, never a payment.
        try await foreignConfirmationStaysAnOrphan(server, admin: admin, key: key)

        // Deleting: the profile's payments keep naming it; without a B2C default, payouts go from the paybill,
        // whose initiator the demo set holds.
        let (deleted, _) = try await server.request("DELETE", "/v1/short-codes/\(b2cID)", token: admin)
        #expect(deleted == 204)
        let (_, gone) = try await server.request("GET", "/v1/short-codes/\(b2cID)", token: key)
        #expect(gone?["deleted_at"] is String)
        let payoutID = try #require(payout?["id"] as? String)
        let (_, paidBefore) = try await server.request("GET", "/v1/payments/\(payoutID)", token: key)
        #expect(paidBefore?["short_code"] as? String == "600200")
        let (_, active) = try await server.request("GET", "/v1/short-codes", token: key)
        #expect((active?["data"] as? [[String: Any]])?.count == 2)
        let (_, all) = try await server.request("GET", "/v1/short-codes?include_deleted=true", token: key)
        #expect((all?["data"] as? [[String: Any]])?.count == 3)
        let (_, later) = try await server.request(
            "POST", "/v1/payouts", token: key,
            json: ["phone": "0708374149", "amount": 50, "command": "business_payment", "remarks": "Refund"])
        #expect(later?["short_code"] as? String == "174379")
        let (again, _) = try await server.request("DELETE", "/v1/short-codes/\(b2cID)", token: admin)
        #expect(again == 404)

        // The audit log records every profile change, masked.
        let (_, audit) = try await server.request("GET", "/v1/audit-log?limit=200", token: admin)
        try expectNoSecret(audit, "GET /v1/audit-log")
        let actions = ((audit?["data"] as? [[String: Any]]) ?? []).compactMap { $0["action"] as? String }
        for action in ["short_code.create", "short_code.update", "short_code.verify", "short_code.delete"] {
            #expect(actions.contains(action), "\(action) not audited")
        }
    }

    /// A C2B confirmation on the organization's own URL, for a short code it does not hold.
    func foreignConfirmationStaysAnOrphan(_ server: ServerProcess, admin: String, key: String) async throws {
        let (_, organizations) = try await server.request("GET", "/v1/orgs", token: admin)
        let organization = try #require((organizations?["data"] as? [[String: Any]])?.first)
        let base = try #require(organization["callback_url_base"] as? String)
        let path = try #require(URL(string: base)?.path)
        let confirmation: [String: Any] = [
            "TransactionType": "Pay Bill", "TransID": "TFR1FOREIGN", "TransTime": "20261206120000",
            "TransAmount": "75.00", "BusinessShortCode": "888888", "BillRefNumber": "INV-X", "InvoiceNumber": "",
            "OrgAccountBalance": "", "ThirdPartyTransID": "", "MSISDN": "254708374149", "FirstName": "Jane",
        ]
        let (status, answer) = try await server.request("POST", path + "/c2b/confirmation", json: confirmation)
        #expect(status == 200)
        #expect(answer?["ResultCode"] as? Int == 0 || answer?["ResultCode"] as? String == "0")
        let (_, c2b) = try await server.request("GET", "/v1/transactions?type=c2b", token: key)
        let receipts = ((c2b?["data"] as? [[String: Any]]) ?? []).compactMap { $0["mpesa_receipt"] as? String }
        #expect(!receipts.contains("TFR1FOREIGN"))
        let (_, unmatched) = try await server.request("GET", "/v1/callbacks/unmatched", token: key)
        let bodies = ((unmatched?["data"] as? [[String: Any]]) ?? []).map { "\($0)" }
        #expect(bodies.contains { $0.contains("TFR1FOREIGN") })
    }
}
