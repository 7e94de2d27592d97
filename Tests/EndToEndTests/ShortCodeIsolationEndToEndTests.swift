import Foundation
import PesaTesting
import Testing

/// Two organizations on one gateway, through the real server and its embedded sandbox over loopback: neither
/// can read, change, verify, delete or use the other's short-code profiles on any route (404 for the other's
/// `sc_…` id on /v1/short-codes/{id}, 422 `short_code` for naming the other's profile in a request, unless the
/// number is also one of its own), no answer shows anything of the other, and the other is left unchanged. A
/// production short code belongs to one organization at a time; the same sandbox number may be held by both.
@Suite(.serialized) struct ShortCodeIsolationEndToEndTests {
    let payments = PaymentEndToEndTests()
    let payouts = PayoutEndToEndTests()
    let demo = DemoEndToEndTests()

    static let tillPasskey = ShortCodeProfilesEndToEndTests.tillPasskey
    /// Daraja's public sandbox passkey of 174379.
    static let sandboxPasskey = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"

    /// The demo organization (A) and a second one (B), each with an org_admin session.
    struct World {
        let server: ServerProcess
        let temp: TemporaryDirectory
        let aID: String
        let aAdmin: String
        let aKey: String
        let bID: String
        let bAdmin: String
        static let bSlug = "beta-traders"

        func stop() {
            server.stop()
            temp.remove()
        }
    }

    func makeWorld() async throws -> World {
        let temp = TemporaryDirectory("e2e-short-code-isolation")
        let server = ServerProcess(
            dataDirectory: temp.path, environment: ShortCodeProfilesEndToEndTests.serverEnvironment())
        try await server.start(["--demo"])
        let printed = try await demo.banner(server)
        let rootPassword = String(try demo.first(#"password admin-[a-z0-9]+"#, in: printed).dropFirst(9))
        let root = try await demo.login(server, email: "admin@pesa.local", password: rootPassword)
        let aAdmin = try await payouts.demoAdminToken(server)
        let aKey = try await payments.demoKey(server)
        let (_, orgs) = try await server.request("GET", "/v1/orgs", token: root)
        let aID = try #require((orgs?["data"] as? [[String: Any]])?.first { $0["slug"] as? String == "demo" }?["id"])
        let (created, b) = try await server.request(
            "POST", "/v1/orgs", token: root, json: ["name": "Beta Traders", "slug": World.bSlug, "plan": "starter"])
        #expect(created == 201)
        let bID = try #require(b?["id"] as? String)
        let user = ["email": "boss@beta.co.ke", "password": "beta-password-1", "role": "org_admin"]
        #expect(try await server.request("POST", "/v1/orgs/\(bID)/users", token: root, json: user).0 == 201)
        let bAdmin = try await demo.login(server, email: "boss@beta.co.ke", password: "beta-password-1")
        return World(
            server: server, temp: temp, aID: try #require(aID as? String), aAdmin: aAdmin, aKey: aKey, bID: bID,
            bAdmin: bAdmin)
    }

    func profile(
        _ label: String, _ environment: String, _ number: String, _ kind: String, key: String,
        extra: [String: Any] = [:]
    ) -> [String: Any] {
        var body: [String: Any] = [
            "label": label, "environment": environment, "short_code": number, "kind": kind, "consumer_key": key,
            "consumer_secret": key + "-secret",
        ]
        switch kind {
        case "b2c": body.merge(["initiator_name": "testapi", "initiator_password": "Safaricom999!*!"]) { $1 }
        default: body["passkey"] = number == "174379" ? Self.sandboxPasskey : Self.tillPasskey
        }
        return body.merging(extra) { $1 }
    }

    func create(_ server: ServerProcess, _ token: String, _ body: [String: Any]) async throws -> [String: Any] {
        let (status, answer) = try await server.request("POST", "/v1/short-codes", token: token, json: body)
        #expect(status == 201, "\(String(describing: answer))")
        return try #require(answer)
    }

    func text(_ body: [String: Any]?) -> String {
        let options: JSONSerialization.WritingOptions = [.withoutEscapingSlashes, .sortedKeys]
        guard let body, let data = try? JSONSerialization.data(withJSONObject: body, options: options) else {
            return ""
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// An STK push body from a phone of its own (the sandbox refuses a second push to a phone with one pending).
    func push(_ reference: String, on shortCode: String, amount: Int = 10) -> [String: Any] {
        let phone = "2547083\(Int.random(in: 10_000...99_999))"
        return [
            "phone": phone, "amount": amount, "account_reference": reference, "description": "Order",
            "short_code": shortCode,
        ]
    }

    func list(_ body: [String: Any]?) -> [[String: Any]] { (body?["data"] as? [[String: Any]]) ?? [] }

    /// What A's organization looks like from A's side: its profiles (deleted ones too), payments and balances.
    func state(of server: ServerProcess, _ token: String) async throws -> [String] {
        var seen: [String] = []
        for path in ["/v1/short-codes?include_deleted=true", "/v1/transactions?limit=100", "/v1/balance"] {
            let (status, body) = try await server.request("GET", path, token: token)
            #expect(status == 200)
            seen.append(text(body))
        }
        return seen
    }

    @Test func noRouteReadsOrUsesAnotherOrganizationsShortCodes() async throws {
        let world = try await makeWorld()
        defer { world.stop() }
        let server = world.server

        // A: its demo paybill 174379, a till and a B2C short code, a payment on the till and a balance check.
        let aTill = try await create(
            server, world.aAdmin,
            profile("Alpha canteen till", "sandbox", "600100", "till", key: "alpha-till-AAA1",
                    extra: ["till_number": "600101"]))
        let aB2C = try await create(
            server, world.aAdmin, profile("Alpha payouts", "sandbox", "600200", "b2c", key: "alpha-b2c-AAA2"))
        let (_, aProfiles) = try await server.request("GET", "/v1/short-codes", token: world.aAdmin)
        let aPaybill = try #require(list(aProfiles).first { $0["short_code"] as? String == "174379" })
        let aIDs = try [aTill, aB2C, aPaybill].map { try #require($0["id"] as? String) }
        let (_, aPush) = try await server.request(
            "POST", "/v1/payments/stk-push", token: world.aKey, json: push("A-1", on: "600100"))
        let aPaymentID = try #require(aPush?["id"] as? String)
        #expect(try await payments.waitForStatus(server, aPaymentID, key: world.aKey)["status"] as? String
            == "succeeded")
        #expect(try await server.request(
            "POST", "/v1/balance-checks", token: world.aKey, json: ["short_code": "600200"]).0 == 202)
        _ = try await payouts.poll(server, "/v1/balance?short_code=600200", token: world.aKey) { !list($0).isEmpty }

        // B: the same sandbox number 174379 as A (allowed), its own keys and initiator.
        let initiator = ["initiator_name": "testapi", "initiator_password": "Safaricom999!*!"]
        let bPaybill = try await create(
            server, world.bAdmin,
            profile("Beta paybill", "sandbox", "174379", "paybill", key: "beta-pay-BBB1", extra: initiator))
        let bPaybillID = try #require(bPaybill["id"] as? String)
        #expect(bPaybill["default"] as? Bool == true)
        let before = try await state(of: server, world.aAdmin)

        // Nothing of A may show in B's answers (besides what B itself sent).
        let aFacts = aIDs + [world.aID, aPaymentID, "600100", "600101", "600200", "Alpha", "AAA1", "AAA2",
                             "/callbacks/demo/"]
        func expectNothingOfA(_ body: [String: Any]?, sent: String = "", _ what: String) {
            let shown = text(body)
            for fact in aFacts where !sent.contains(fact) { #expect(!shown.contains(fact), "\(what) shows \(fact)") }
        }

        // Every /v1/short-codes/{id} route: A's ids are not there for B.
        for id in aIDs {
            let calls: [(String, String, [String: Any]?)] = [
                ("GET", "/v1/short-codes/\(id)", nil), ("PATCH", "/v1/short-codes/\(id)", ["label": "Taken"]),
                ("PATCH", "/v1/short-codes/\(id)", ["default": true, "consumer_key": "beta-stolen-key"]),
                ("POST", "/v1/short-codes/\(id)/verify", nil), ("DELETE", "/v1/short-codes/\(id)", nil),
            ]
            for (method, path, body) in calls {
                let (status, answer) = try await server.request(method, path, token: world.bAdmin, json: body)
                #expect(status == 404, "\(method) \(path) as B")
                expectNothingOfA(answer, sent: path, "\(method) \(path)")
            }
        }
        // ?org= of A as B's org_admin is refused like A's objects, on every short-code route.
        let aOrg = "?org=\(world.aID)"
        let orgCalls: [(String, String, [String: Any]?)] = [
            ("GET", "/v1/short-codes\(aOrg)", nil), ("GET", "/v1/short-codes/\(aIDs[0])\(aOrg)", nil),
            ("POST", "/v1/short-codes\(aOrg)", profile("Beta till", "sandbox", "600300", "till", key: "beta-BBB3",
                                                      extra: ["till_number": "600301"])),
            ("PATCH", "/v1/short-codes/\(aIDs[0])\(aOrg)", ["label": "Taken"]),
            ("POST", "/v1/short-codes/\(aIDs[0])/verify\(aOrg)", nil),
            ("DELETE", "/v1/short-codes/\(aIDs[1])\(aOrg)", nil),
            ("GET", "/v1/transactions?short_code=600100&org=\(world.aID)", nil),
            ("GET", "/v1/balance?short_code=600200&org=\(world.aID)", nil),
        ]
        for (method, path, body) in orgCalls {
            let (status, answer) = try await server.request(method, path, token: world.bAdmin, json: body)
            #expect(status == 404, "\(method) \(path) as B")
            expectNothingOfA(answer, sent: path, "\(method) \(path)")
        }

        // Naming one of A's profiles (by id, or by a number B does not hold) in a request is a 422 `short_code`.
        for name in aIDs + ["600100", "600101", "600200"] {
            let calls: [(String, String, [String: Any]?)] = [
                ("POST", "/v1/payments/stk-push", push("B-1", on: name)),
                ("POST", "/v1/payouts",
                 ["phone": "0708374149", "amount": 10, "command": "business_payment", "remarks": "Refund",
                  "short_code": name]),
                ("POST", "/v1/balance-checks", ["short_code": name]),
                ("POST", "/v1/transaction-status", ["mpesa_receipt": "UL6ZZZZZZ1", "short_code": name]),
                ("POST", "/v1/c2b/register-urls", ["short_code": name]),
                ("GET", "/v1/transactions?short_code=\(name)", nil),
                ("GET", "/v1/balance?short_code=\(name)", nil),
            ]
            for (method, path, body) in calls {
                let (status, answer) = try await server.request(method, path, token: world.bAdmin, json: body)
                #expect(status == 422, "\(method) \(path) naming \(name) as B: \(text(answer))")
                #expect(payouts.error(answer)?["param"] as? String == "short_code", "\(method) \(path) \(name)")
                expectNothingOfA(answer, sent: name, "\(method) \(path) naming \(name)")
            }
        }
        // A's payment is not B's to ask about.
        let (asked, askedAnswer) = try await server.request(
            "POST", "/v1/transaction-status", token: world.bAdmin, json: ["payment_id": aPaymentID])
        #expect(asked == 404)
        expectNothingOfA(askedAnswer, sent: aPaymentID, "POST /v1/transaction-status of A's payment")

        // The number both hold is B's own when B names it: B's profile, B's payments, B's balances, B's URLs.
        let (pushed, bPush) = try await server.request(
            "POST", "/v1/payments/stk-push", token: world.bAdmin, json: push("B-2", on: "174379", amount: 20))
        #expect(pushed == 201, "\(text(bPush))")
        #expect(bPush?["short_code_id"] as? String == bPaybillID)
        let bPaymentID = try #require(bPush?["id"] as? String)
        #expect(try await payments.waitForStatus(server, bPaymentID, key: world.bAdmin)["status"] as? String
            == "succeeded")
        let (paid, bPayout) = try await server.request(
            "POST", "/v1/payouts", token: world.bAdmin,
            json: ["phone": "0708374149", "amount": 10, "command": "business_payment", "remarks": "Refund"])
        #expect(paid == 201, "\(text(bPayout))")
        #expect(bPayout?["short_code_id"] as? String == bPaybillID)
        let (checked, bCheck) = try await server.request(
            "POST", "/v1/balance-checks", token: world.bAdmin, json: ["short_code": "174379"])
        #expect(checked == 202)
        #expect(bCheck?["short_code_id"] as? String == bPaybillID)
        let (registered, urls) = try await server.request(
            "POST", "/v1/c2b/register-urls", token: world.bAdmin, json: ["short_code": "174379"])
        #expect(registered == 200, "\(text(urls))")
        #expect((urls?["confirmation_url"] as? String)?.contains("/callbacks/\(World.bSlug)/") == true)
        let bBalance = try await payouts.poll(server, "/v1/balance?short_code=174379", token: world.bAdmin) {
            !list($0).isEmpty
        }
        #expect(list(bBalance).allSatisfy { $0["short_code_id"] as? String == bPaybillID })
        let bPayoutID = try #require(bPayout?["id"] as? String)
        _ = try await payments.waitForStatus(server, bPayoutID, key: world.bAdmin)
        for path in ["/v1/short-codes?include_deleted=true", "/v1/short-codes/\(bPaybillID)",
                     "/v1/transactions?short_code=174379", "/v1/transactions?limit=100", "/v1/balance",
                     "/v1/balance?short_code=174379", "/v1/audit-log?limit=200", "/v1/callbacks/unmatched"] {
            let (status, answer) = try await server.request("GET", path, token: world.bAdmin)
            #expect(status == 200, "GET \(path) as B")
            expectNothingOfA(answer, "GET \(path) as B")
        }
        let (_, bList) = try await server.request("GET", "/v1/short-codes", token: world.bAdmin)
        #expect(list(bList).compactMap { $0["id"] as? String } == [bPaybillID])
        let (_, bPayments) = try await server.request("GET", "/v1/transactions", token: world.bAdmin)
        #expect(Set(list(bPayments).compactMap { $0["id"] as? String }) == [bPaymentID, bPayoutID])

        // A is as it was; and its own profiles still serve it.
        #expect(try await state(of: server, world.aAdmin) == before)
        let (aStill, aAgain) = try await server.request(
            "POST", "/v1/payments/stk-push", token: world.aKey, json: push("A-2", on: "174379"))
        #expect(aStill == 201)
        #expect(aAgain?["short_code_id"] as? String == aIDs[2])
    }

    @Test func productionShortCodesBelongToOneOrganizationAndBadInputIsNamed() async throws {
        let world = try await makeWorld()
        defer { world.stop() }
        let server = world.server

        // A takes production 700100; B may not, in any kind, and is not told whose it is.
        let aProduction = try await create(
            server, world.aAdmin, profile("Alpha live", "production", "700100", "paybill", key: "alpha-live-AAA4"))
        let aProductionID = try #require(aProduction["id"] as? String)
        let refusals = [
            profile("Beta live", "production", "700100", "paybill", key: "beta-live-BBB4"),
            profile("Beta live till", "production", "700100", "till", key: "beta-live-BBB5",
                    extra: ["till_number": "700101"]),
            profile("Beta live b2c", "production", "700100", "b2c", key: "beta-live-BBB6"),
        ]
        for body in refusals {
            let (status, answer) = try await server.request(
                "POST", "/v1/short-codes", token: world.bAdmin, json: body)
            #expect(status == 409, "\(text(answer))")
            let message = try #require(payouts.error(answer)?["message"] as? String)
            #expect(message.contains("700100"))
            #expect(!text(answer).contains(world.aID))
            #expect(!message.contains("demo") && !message.contains("Demo"), "\(message)")
        }
        // The same number in the sandbox is B's to hold too.
        let bSandbox = try await create(
            server, world.bAdmin, profile("Beta test", "sandbox", "700100", "paybill", key: "beta-test-BBB7"))
        let bSandboxID = try #require(bSandbox["id"] as? String)
        #expect(try await server.request("DELETE", "/v1/short-codes/\(bSandboxID)", token: world.bAdmin).0 == 204)

        // Once A deletes it, B takes it, and now A is refused without being told B's id or slug.
        #expect(try await server.request("DELETE", "/v1/short-codes/\(aProductionID)", token: world.aAdmin).0 == 204)
        let bProduction = try await create(server, world.bAdmin, refusals[0])
        #expect(bProduction["environment"] as? String == "production")
        let (again, refused) = try await server.request(
            "POST", "/v1/short-codes", token: world.aAdmin,
            json: profile("Alpha live again", "production", "700100", "paybill", key: "alpha-live-AAA8"))
        #expect(again == 409, "\(text(refused))")
        #expect(!text(refused).contains(world.bID))
        #expect(!text(refused).contains(World.bSlug) && !text(refused).contains("Beta"))
        let (_, aAll) = try await server.request("GET", "/v1/short-codes?include_deleted=true", token: world.aAdmin)
        let aOld = list(aAll).first { $0["id"] as? String == aProductionID }
        #expect(aOld?["deleted_at"] is String)

        // Bad input, each named.
        let bPaybill = try await create(
            server, world.bAdmin, profile("Beta paybill", "sandbox", "174379", "paybill", key: "beta-pay-BBB1"))
        let bPaybillID = try #require(bPaybill["id"] as? String)
        let (empty, emptyAnswer) = try await server.request(
            "POST", "/v1/short-codes", token: world.bAdmin, json: [String: Any]())
        #expect(empty == 422)
        #expect(payouts.error(emptyAnswer)?["param"] as? String == "environment")
        let message = (payouts.error(emptyAnswer)?["message"] as? String) ?? ""
        #expect(message.contains("environment, short_code, kind, consumer_key, consumer_secret"), "\(message)")
        let invalid: [([String: Any], String)] = [
            (profile("Agent", "sandbox", "600400", "agent", key: "beta-BBB8"), "kind"),
            (profile("Till", "sandbox", "600500", "till", key: "beta-BBB9"), "till_number"),
            (profile("Nowhere", "staging", "600600", "paybill", key: "beta-BBBA"), "environment"),
        ]
        for (body, param) in invalid {
            let (status, answer) = try await server.request(
                "POST", "/v1/short-codes", token: world.bAdmin, json: body)
            #expect(status == 422, "\(param): \(text(answer))")
            #expect(payouts.error(answer)?["param"] as? String == param, "\(text(answer))")
        }
        let changes: [([String: Any], String)] = [
            (["environment": "production"], "environment"), (["short_code": "174380"], "short_code"),
            (["kind": "till", "till_number": "174381"], "kind"),
        ]
        for (body, param) in changes {
            let (status, answer) = try await server.request(
                "PATCH", "/v1/short-codes/\(bPaybillID)", token: world.bAdmin, json: body)
            #expect(status == 422, "PATCH \(param): \(text(answer))")
            #expect(payouts.error(answer)?["param"] as? String == param)
        }
        for (method, path) in [("POST", "/v1/short-codes"), ("PATCH", "/v1/short-codes/\(bPaybillID)")] {
            let (status, _, _) = try await server.raw(
                method, path, token: world.bAdmin, body: Data(#"{"label": "Broken","#.utf8),
                headers: ["Content-Type": "application/json"])
            #expect(status == 400, "\(method) \(path) with malformed JSON")
        }
        // None of it changed B's paybill.
        let (_, after) = try await server.request("GET", "/v1/short-codes/\(bPaybillID)", token: world.bAdmin)
        #expect(after?["version"] as? Int == 1)
        #expect(after?["environment"] as? String == "sandbox" && after?["kind"] as? String == "paybill")
    }
}
