import Foundation
import PesaTesting
import Testing

/// `pesa serve --demo` as a newcomer meets it: the banner's login, super admin and API key work, later starts on
/// the same data folder print the same ones (sessions survive, keys do not pile up), and a C2B payment is one
/// call away.
@Suite(.serialized) struct DemoEndToEndTests {
    /// The banner's text once the demo's API key is in it.
    func banner(_ server: ServerProcess) async throws -> String {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if server.printed.contains("export PESA=") { return server.printed }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServerError("no demo banner printed: \(server.printed)")
    }

    func first(_ pattern: String, in text: String) throws -> String {
        guard let range = text.range(of: pattern, options: .regularExpression) else {
            throw ServerError("\(pattern) not in: \(text)")
        }
        return String(text[range])
    }

    func login(_ server: ServerProcess, email: String, password: String) async throws -> String {
        let (status, body) = try await server.request(
            "POST", "/v1/auth/login", json: ["email": email, "password": password])
        #expect(status == 200)
        return try #require(body?["access_token"] as? String)
    }

    func demoKeys(_ server: ServerProcess, token: String) async throws -> [[String: Any]] {
        let (status, body) = try await server.request("GET", "/v1/api-keys", token: token)
        #expect(status == 200)
        let keys = try #require(body?["data"] as? [[String: Any]])
        return keys.filter { $0["name"] as? String == "demo key" }
    }

    @Test func restartsKeepTheLoginAndTheKeyAndTheSuperAdminWorks() async throws {
        let temp = TemporaryDirectory("e2e-demo")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path)
        try await server.start(["--demo"])
        let printed = try await banner(server)
        let key = try first(#"pk_test_[A-Za-z0-9]+"#, in: printed)
        let password = String(try first(#"password demo-[a-z0-9]+"#, in: printed).dropFirst("password ".count))
        let adminPassword = String(try first(#"password admin-[a-z0-9]+"#, in: printed).dropFirst("password ".count))
        // Every command README shows is printed with the real address and key.
        #expect(printed.contains("export PESA=\(server.baseURL) KEY=\(key)"))
        for path in ["/v1/payments/stk-push", "/v1/transactions", "/v1/payouts", "/v1/balance-checks", "/v1/balance",
                     "/v1/c2b/simulate", "/v1/auth/login"] {
            let shown = printed.contains("curl -s \(server.baseURL)\(path)")
                || printed.contains("\(server.baseURL)\(path) ")
            #expect(shown, "\(path)")
        }
        let session = try await login(server, email: "demo@pesa.local", password: password)
        #expect(try await server.request("GET", "/v1/transactions", token: key).0 == 200)

        // The super admin printed at first start creates organizations and reads one with ?org=.
        let root = try await login(server, email: "admin@pesa.local", password: adminPassword)
        let (created, org) = try await server.request(
            "POST", "/v1/orgs", token: root, json: ["name": "Second Shop", "slug": "second-shop", "plan": "starter"])
        #expect(created == 201)
        let (listed, orgs) = try await server.request("GET", "/v1/orgs", token: root)
        #expect(listed == 200)
        let demoID = try #require(
            (orgs?["data"] as? [[String: Any]])?.first { $0["slug"] as? String == "demo" }?["id"] as? String)
        #expect(org?["slug"] as? String == "second-shop")
        #expect(try await server.request("GET", "/v1/api-keys?org=\(demoID)", token: root).0 == 200)
        // The demo's sandbox short code collects invoice payments; the banner shows the billing commands.
        let (_, billing) = try await server.request("GET", "/v1/admin/billing/settings", token: root)
        #expect(billing?["operator_organization_id"] as? String == demoID)
        #expect(printed.contains("\(server.baseURL)/v1/admin/billing/runs"))
        #expect(printed.contains("\(server.baseURL)/v1/invoices"))
        server.stop()

        // A second start: same login (the session from before still works), same key, no new key, no new admin.
        let again = ServerProcess(dataDirectory: temp.path)
        try await again.start(["--demo"])
        let reprinted = try await banner(again)
        #expect(try first(#"pk_test_[A-Za-z0-9]+"#, in: reprinted) == key)
        #expect(reprinted.contains("password \(password)"))
        #expect(!reprinted.contains("password admin-"))
        #expect(reprinted.contains("admin@pesa.local"))
        #expect(try await again.request("GET", "/v1/api-keys", token: session).0 == 200)
        #expect(try await login(again, email: "admin@pesa.local", password: adminPassword).isEmpty == false)
        #expect(try await demoKeys(again, token: session).count == 1)
        again.stop()

        // --new-demo-key revokes the key and makes the next one.
        let third = ServerProcess(dataDirectory: temp.path)
        try await third.start(["--demo", "--new-demo-key"])
        defer { third.stop() }
        let newKey = try first(#"pk_test_[A-Za-z0-9]+"#, in: try await banner(third))
        #expect(newKey != key)
        #expect(try await third.request("GET", "/v1/transactions", token: key).0 == 401)
        #expect(try await third.request("GET", "/v1/transactions", token: newKey).0 == 200)
        let keys = try await demoKeys(third, token: session)
        #expect(keys.count == 2)
        #expect(keys.filter { $0["revoked_at"] is String }.count == 1)
    }

    @Test func aSimulatedC2BPaymentArrivesAndIsListed() async throws {
        let temp = TemporaryDirectory("e2e-c2b")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path)
        try await server.start(["--demo"])
        defer { server.stop() }
        let key = try first(#"pk_test_[A-Za-z0-9]+"#, in: try await banner(server))
        let (status, answer) = try await server.request(
            "POST", "/v1/c2b/simulate", token: key,
            json: ["amount": 50, "phone": "0708374149", "account_reference": "INV-2"])
        #expect(status == 202)
        #expect(answer?["status"] as? String == "accepted")
        #expect(answer?["short_code"] as? String == "174379")
        let (invalid, error) = try await server.request(
            "POST", "/v1/c2b/simulate", token: key,
            json: ["amount": 0, "phone": "0708374149", "account_reference": "X"])
        #expect(invalid == 422)
        #expect((error?["error"] as? [String: Any])?["param"] as? String == "amount")

        let deadline = Date().addingTimeInterval(20)
        var payments: [[String: Any]] = []
        while Date() < deadline {
            let (_, list) = try await server.request("GET", "/v1/transactions?type=c2b", token: key)
            payments = list?["data"] as? [[String: Any]] ?? []
            if !payments.isEmpty { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let payment = try #require(payments.first)
        #expect(payments.count == 1)
        #expect(payment["type"] as? String == "c2b")
        #expect(payment["status"] as? String == "succeeded")
        #expect((payment["amount"] as? NSNumber)?.doubleValue == 50)
        #expect(payment["mpesa_receipt"] as? String != nil)
    }
}
