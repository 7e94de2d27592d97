import Foundation
import PesaTesting
import Testing

/// The hardening rules on the real `pesa serve` over loopback: test keys only reach sandbox credentials, a
/// callback that does not match what was asked settles nothing and is flagged, strict input, no `?org=` leak,
/// and a disabled organization gets no new keys.
@Suite(.serialized) struct HardeningEndToEndTests {
    static let environment = ["PESA_ADMIN_EMAIL": "root@example.com", "PESA_ADMIN_PASSWORD": "root-password-1"]

    func login(_ server: ServerProcess, _ email: String, _ password: String) async throws -> String {
        let (status, body) = try await server.request(
            "POST", "/v1/auth/login", json: ["email": email, "password": password])
        #expect(status == 200, "login \(email): \(status)")
        return try #require(body?["access_token"] as? String)
    }

    func errorOf(_ body: [String: Any]?) -> (code: String?, param: String?) {
        let error = body?["error"] as? [String: Any]
        return (error?["code"] as? String, error?["param"] as? String)
    }

    /// `acme` with sandbox credentials and an org_admin; returns (org id, org_admin token, root token).
    func makeAcme(_ server: ServerProcess) async throws -> (String, String, String) {
        let root = try await login(server, "root@example.com", "root-password-1")
        let (_, acme) = try await server.request(
            "POST", "/v1/orgs", token: root, json: ["name": "Acme", "slug": "acme"])
        let acmeID = try #require(acme?["id"] as? String)
        let boss = ["email": "boss@acme.co.ke", "password": "boss-password-1", "role": "org_admin"]
        #expect(try await server.request("POST", "/v1/orgs/\(acmeID)/users", token: root, json: boss).0 == 201)
        let token = try await login(server, "boss@acme.co.ke", "boss-password-1")
        let credentials = [
            "environment": "sandbox", "consumer_key": "acme-consumer-key", "consumer_secret": "acme-consumer-secret",
            "business_short_code": "174379",
            "passkey": "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919",
            "initiator_name": "testapi", "initiator_password": "Safaricom999!*!",
        ]
        #expect(try await server.request("PUT", "/v1/mpesa-credentials", token: token, json: credentials).0 == 200)
        return (acmeID, token, root)
    }

    func push(_ server: ServerProcess, token: String, phone: String, amount: Any) async throws -> (Int, [String: Any]?)
    {
        try await server.request(
            "POST", "/v1/payments/stk-push", token: token,
            json: ["phone": phone, "amount": amount, "account_reference": "INV-1", "description": "Order"])
    }

    func withAcme(_ name: String, _ body: (ServerProcess, String, String, String) async throws -> Void) async throws {
        let temp = TemporaryDirectory(name)
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path, environment: Self.environment)
        try await server.start()
        defer { server.stop() }
        let (acmeID, boss, root) = try await makeAcme(server)
        try await body(server, acmeID, boss, root)
    }

    @Test func aLiveKeyNeverReachesTheSandboxAndATestKeyDoes() async throws {
        try await withAcme("e2e-keys") { server, _, boss, _ in
            let (madeLive, live) = try await server.request(
                "POST", "/v1/api-keys", token: boss,
                json: ["name": "live", "role": "manager", "environment": "production"])
            #expect(madeLive == 201)
            let liveKey = try #require(live?["key"] as? String)
            #expect(liveKey.hasPrefix("pk_live_"))
            let (refused, refusedBody) = try await push(server, token: liveKey, phone: "0708374149", amount: 10)
            #expect(refused == 403)
            #expect(errorOf(refusedBody).code == "API_KEY_ENVIRONMENT_MISMATCH")
            let (_, list) = try await server.request("GET", "/v1/transactions", token: boss)
            #expect((list?["data"] as? [[String: Any]])?.isEmpty == true, "nothing journaled")
            let (_, test) = try await server.request(
                "POST", "/v1/api-keys", token: boss, json: ["name": "test", "role": "manager"])
            let testKey = try #require(test?["key"] as? String)
            #expect(try await push(server, token: testKey, phone: "0708374149", amount: 10).0 == 201)
        }
    }

    /// A success posted to the organization's callback URL for a timed-out push, with another amount and phone:
    /// the push becomes `unknown` (`PESA_MISMATCH`, naming both amounts), audited and counted, never succeeded.
    @Test func aMismatchedSuccessCallbackIsFlaggedNotSettled() async throws {
        try await withAcme("e2e-mismatch") { server, acmeID, boss, root in
            let (created, payment) = try await push(server, token: boss, phone: "254700001037", amount: 800)
            #expect(created == 201)
            let id = try #require(payment?["id"] as? String)
            let checkout = try #require(payment?["checkout_request_id"] as? String)
            let merchant = try #require(payment?["merchant_request_id"] as? String)
            var status = ""
            let deadline = Date().addingTimeInterval(20)
            while status != "timeout" && Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
                status =
                    try await server.request("GET", "/v1/payments/\(id)", token: boss).1?["status"] as? String ?? ""
            }
            #expect(status == "timeout")
            let (_, organization) = try await server.request("GET", "/v1/orgs/\(acmeID)", token: boss)
            let base = try #require(organization?["callback_url_base"] as? String)
            let path = try #require(URL(string: base)?.path) + "/stk"
            let forged =
                #"{"Body":{"stkCallback":{"MerchantRequestID":"\#(merchant)","CheckoutRequestID":"\#(checkout)","#
                + #""ResultCode":0,"ResultDesc":"ok","CallbackMetadata":{"Item":[{"Name":"Amount","Value":1},"#
                + #"{"Name":"MpesaReceiptNumber","Value":"TLX0000001"},"#
                + #"{"Name":"PhoneNumber","Value":254711111111}]}}}}"#
            let (accepted, _) = try await server.request("POST", path, body: Data(forged.utf8))
            #expect(accepted == 200)
            let (_, flagged) = try await server.request("GET", "/v1/payments/\(id)", token: boss)
            #expect(flagged?["status"] as? String == "unknown")
            #expect(flagged?["result_code"] as? String == "PESA_MISMATCH")
            #expect((flagged?["result_desc"] as? String)?.contains("800") == true)
            #expect((flagged?["reconciliation"] as? [String: Any])?["reason"] as? String == "mismatch")
            let (_, audit) = try await server.request(
                "GET", "/v1/audit-log?action=payment.flagged.mismatch", token: boss)
            #expect((audit?["data"] as? [[String: Any]])?.first?["target"] as? String == id)
            let (_, metrics, _) = try await server.raw("GET", "/metrics", token: root)
            #expect(String(decoding: metrics, as: UTF8.self).contains("pesa_payments_flagged_total"))
        }
    }

    @Test func strictInputIsRefusedNamingTheField() async throws {
        try await withAcme("e2e-input") { server, _, boss, root in
            for amount in ["10.5", "1e3", "10.0"] {
                let raw = #"{"phone":"0708374149","amount":\#(amount),"account_reference":"A","description":"D"}"#
                let (status, body) = try await server.request(
                    "POST", "/v1/payments/stk-push", token: boss, body: Data(raw.utf8),
                    headers: ["Content-Type": "application/json"])
                #expect(status == 422, "\(amount)")
                #expect(errorOf(body).param == "amount")
            }
            let twice = #"{"phone":"0708374149","amount":10,"amount":100000,"account_reference":"A","description":"D"}"#
            let (duplicate, duplicateBody) = try await server.request(
                "POST", "/v1/payments/stk-push", token: boss, body: Data(twice.utf8),
                headers: ["Content-Type": "application/json"])
            #expect(duplicate == 400)
            #expect(errorOf(duplicateBody).code == "MALFORMED_JSON")
            let control = #"{"phone":"0708374149","amount":10,"account_reference":"A","description":"D\u0001"}"#
            let (bad, badBody) = try await server.request(
                "POST", "/v1/payments/stk-push", token: boss, body: Data(control.utf8),
                headers: ["Content-Type": "application/json"])
            #expect(bad == 422)
            #expect(errorOf(badBody).param == "description")
            for slug in ["api", "-acme2", "acme2-", "my-mpesa"] {
                let (status, body) = try await server.request(
                    "POST", "/v1/orgs", token: root, json: ["name": "X", "slug": slug])
                #expect(status == 422, "\(slug)")
                #expect(errorOf(body).param == "slug", "\(slug)")
            }
            // An organization name is free text, kept as given and escaped in JSON.
            let name = #"<b>"Bob's" & Sons</b>"#
            let (made, shop) = try await server.request(
                "POST", "/v1/orgs", token: root, json: ["name": name, "slug": "bobs"])
            #expect(made == 201)
            #expect(shop?["name"] as? String == name)
        }
    }

    @Test func noOrgLeakAndADisabledOrganizationGetsNoNewKeys() async throws {
        try await withAcme("e2e-leaks") { server, acmeID, boss, root in
            let (_, other) = try await server.request(
                "POST", "/v1/orgs", token: root, json: ["name": "O", "slug": "other"])
            let otherID = try #require(other?["id"] as? String)
            let (leak, leakBody) = try await server.request("GET", "/v1/transactions?org=\(otherID)", token: boss)
            #expect(leak == 404)
            #expect(errorOf(leakBody).code == "NOT_FOUND")
            #expect(try await server.request("GET", "/v1/transactions?org=\(acmeID)", token: boss).0 == 200)
            let disable: [String: Any] = ["status": "disabled"]
            #expect(try await server.request("PATCH", "/v1/orgs/\(acmeID)", token: root, json: disable).0 == 200)
            let (refused, refusedBody) = try await server.request(
                "POST", "/v1/api-keys", token: boss, json: ["name": "k"])
            #expect(refused == 403)
            #expect(errorOf(refusedBody).code == "FORBIDDEN")
            #expect(try await server.request("GET", "/v1/transactions", token: boss).0 == 200)
            #expect(try await login(server, "boss@acme.co.ke", "boss-password-1").isEmpty == false)
        }
    }
}
