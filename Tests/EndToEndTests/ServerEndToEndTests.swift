import Foundation
import PesaTesting
import Testing

/// The real `pesa serve` on loopback with a temporary data folder, its embedded Daraja sandbox calling back.
@Suite(.serialized) struct ServerEndToEndTests {
    static let admin = ["PESA_ADMIN_EMAIL": "root@example.com", "PESA_ADMIN_PASSWORD": "root-password-1"]

    func login(_ server: ServerProcess, _ email: String, _ password: String) async throws -> String {
        let (status, body) = try await server.request(
            "POST", "/v1/auth/login", json: ["email": email, "password": password])
        #expect(status == 200, "login \(email): \(status) \(String(describing: body))")
        return try #require(body?["access_token"] as? String)
    }

    @Test func organizationsUsersRolesCredentialsAndAuditAcrossARestart() async throws {
        let temp = TemporaryDirectory("e2e")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path, environment: Self.admin)
        try await server.start()
        defer { server.stop() }
        let root = try await login(server, "root@example.com", "root-password-1")
        let (created, acme) = try await server.request(
            "POST", "/v1/orgs", token: root, json: ["name": "Acme", "slug": "acme", "plan": "starter"])
        #expect(created == 201)
        let acmeID = try #require(acme?["id"] as? String)
        #expect((acme?["callback_url_base"] as? String)?.hasPrefix("\(server.baseURL)/callbacks/acme/") == true)
        let (_, globex) = try await server.request(
            "POST", "/v1/orgs", token: root, json: ["name": "Globex", "slug": "globex"])
        let globexID = try #require(globex?["id"] as? String)
        #expect(try await server.request("POST", "/v1/orgs", token: root, json: ["name": "X", "slug": "acme"]).0 == 409)
        let (badSlug, badBody) = try await server.request(
            "POST", "/v1/orgs", token: root, json: ["name": "X", "slug": "Not OK"])
        #expect(badSlug == 422)
        #expect((badBody?["error"] as? [String: Any])?["param"] as? String == "slug")

        let user = ["email": "boss@acme.co.ke", "password": "boss-password-1", "role": "org_admin"]
        #expect(try await server.request("POST", "/v1/orgs/\(acmeID)/users", token: root, json: user).0 == 201)
        let boss = try await login(server, "boss@acme.co.ke", "boss-password-1")
        // Another organization's objects do not exist for acme's admin; instance actions are forbidden.
        #expect(try await server.request("GET", "/v1/orgs/\(globexID)", token: boss).0 == 404)
        #expect(try await server.request("GET", "/v1/orgs/\(globexID)/users", token: boss).0 == 404)
        #expect(try await server.request("POST", "/v1/orgs", token: boss, json: ["name": "Y", "slug": "yy"]).0 == 403)
        let superUser = ["email": "evil@acme.co.ke", "password": "evil-password-1", "role": "super_admin"]
        #expect(try await server.request("POST", "/v1/orgs/\(acmeID)/users", token: boss, json: superUser).0 == 403)
        let clerk = ["email": "clerk@acme.co.ke", "password": "clerk-password-1", "role": "user"]
        #expect(try await server.request("POST", "/v1/orgs/\(acmeID)/users", token: boss, json: clerk).0 == 201)
        let clerkToken = try await login(server, "clerk@acme.co.ke", "clerk-password-1")
        #expect(try await server.request("GET", "/v1/mpesa-credentials", token: clerkToken).0 == 403)
        // The users list pages like every list: one per page here, then the rest; bad limits and cursors 422.
        let (_, firstPage) = try await server.request("GET", "/v1/orgs/\(acmeID)/users?limit=1", token: boss)
        let firstUsers = (firstPage?["data"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
        let next = try #require(firstPage?["next_cursor"] as? String)
        let (_, secondPage) = try await server.request(
            "GET", "/v1/orgs/\(acmeID)/users?limit=1&cursor=\(next)", token: boss)
        let secondUsers = (secondPage?["data"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
        #expect(firstUsers + secondUsers == ["boss@acme.co.ke", "clerk@acme.co.ke"])
        #expect(secondPage?["next_cursor"] is NSNull)
        let (tooMany, tooManyBody) = try await server.request("GET", "/v1/orgs/\(acmeID)/users?limit=9999", token: boss)
        #expect(tooMany == 422)
        #expect((tooManyBody?["error"] as? [String: Any])?["param"] as? String == "limit")
        let (_, orgsPage) = try await server.request("GET", "/v1/orgs?limit=1", token: root)
        #expect((orgsPage?["data"] as? [Any])?.count == 1)
        #expect(orgsPage?["next_cursor"] as? String != nil)

        // Credentials: 422 names every missing field; stored encrypted; shown masked.
        let (missing, missingBody) = try await server.request(
            "PUT", "/v1/mpesa-credentials", token: boss, json: ["environment": "sandbox", "consumer_key": "ck"])
        #expect(missing == 422)
        let message = (missingBody?["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.contains("consumer_secret") && message.contains("initiator_password"))
        let credentials: [String: Any] = [
            "environment": "sandbox", "consumer_key": "ck-acme-000111", "consumer_secret": "TopSecretConsumer99",
            "business_short_code": "174379",
            "passkey": "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919",
            "initiator_name": "testapi", "initiator_password": "Safaricom999!*!",
        ]
        let (put, masked) = try await server.request("PUT", "/v1/mpesa-credentials", token: boss, json: credentials)
        #expect(put == 200)
        #expect(masked?["consumer_secret"] as? String == "****er99")
        let (_, shown, _) = try await server.raw("GET", "/v1/mpesa-credentials", token: boss)
        #expect(!String(decoding: shown, as: UTF8.self).contains("TopSecretConsumer99"))

        // Forged tokens.
        let parts = boss.split(separator: ".").map(String.init)
        let forgedSignature = parts[0] + "." + parts[1] + "." + String(parts[2].reversed())
        let noneHeader = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(
                of: "/", with: "_")
        for forged in [forgedSignature, noneHeader + "." + parts[1] + ".", "garbage", "pk_test_unknownkey"] {
            let (status, body) = try await server.request("GET", "/v1/orgs/\(acmeID)", token: forged)
            #expect(status == 401, "forged token \(forged.prefix(12))…")
            #expect((body?["error"] as? [String: Any])?["request_id"] as? String != nil)
        }
        #expect(try await server.request("GET", "/v1/orgs/\(acmeID)").0 == 401)

        let (verified, verification) = try await server.request("GET", "/v1/audit-log/verify", token: boss)
        #expect(verified == 200)
        #expect(verification?["ok"] as? Bool == true)
        let (_, log) = try await server.request("GET", "/v1/audit-log", token: boss)
        let actions = (log?["data"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
        #expect(actions.contains("credentials.update"))
        #expect(!actions.isEmpty)
        // The largest cursor there is ("18446744073709551615", base64url): an empty page, the server stays up.
        let (pastStatus, past) = try await server.request(
            "GET", "/v1/audit-log?cursor=MTg0NDY3NDQwNzM3MDk1NTE2MTU", token: boss)
        #expect(pastStatus == 200)
        #expect((past?["data"] as? [Any])?.isEmpty == true)
        #expect(try await server.request("GET", "/v1/audit-log", token: boss).0 == 200)
        // Filters: by action and time; a malformed one is 422 naming it.
        let (_, updates) = try await server.request(
            "GET", "/v1/audit-log?action=credentials.update&from=2020-01-01T00:00:00Z", token: boss)
        let updateActions = (updates?["data"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
        #expect(!updateActions.isEmpty && updateActions.allSatisfy { $0 == "credentials.update" })
        let (_, future) = try await server.request("GET", "/v1/audit-log?from=2100-01-01T00:00:00Z", token: boss)
        #expect((future?["data"] as? [Any])?.isEmpty == true)
        for (query, param) in [("from=yesterday", "from"), ("to=2026-13-01T00:00:00Z", "to"), ("actor=", "actor")] {
            let (status, body) = try await server.request("GET", "/v1/audit-log?\(query)", token: boss)
            #expect(status == 422, "\(query)")
            #expect((body?["error"] as? [String: Any])?["param"] as? String == param, "\(query)")
        }

        // A restart keeps everything, sessions included (the JWT key derives from the master key).
        server.stop()
        try await server.start()
        #expect(try await server.request("GET", "/v1/orgs/\(acmeID)", token: boss).0 == 200)
        #expect(try await server.request("GET", "/v1/orgs/\(acmeID)/users", token: root).0 == 200)
        _ = try await login(server, "clerk@acme.co.ke", "clerk-password-1")
    }

    @Test func contractConventionsOnBadInput() async throws {
        let temp = TemporaryDirectory("e2e")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path, environment: Self.admin)
        try await server.start()
        defer { server.stop() }
        let root = try await login(server, "root@example.com", "root-password-1")
        let (malformed, body, headers) = try await server.raw(
            "POST", "/v1/orgs", token: root, body: Data("{not json".utf8), headers: ["Content-Type": "application/json"]
        )
        #expect(malformed == 400)
        #expect(headers["x-request-id"]?.hasPrefix("req_") == true)
        #expect(String(decoding: body, as: UTF8.self).contains("\"request_id\""))
        let wrongType = try await server.raw(
            "POST", "/v1/orgs", token: root, body: Data("name=x".utf8), headers: ["Content-Type": "text/plain"])
        #expect(wrongType.0 == 415)
        let huge = try await server.raw(
            "POST", "/v1/orgs", token: root, body: Data(repeating: 0x61, count: 300_000),
            headers: ["Content-Type": "application/json"])
        #expect(huge.0 == 413)
        #expect(try await server.request("GET", "/v1/no-such-route", token: root).0 == 404)
        #expect(try await server.request("GET", "/healthz").0 == 200)
        let (openapi, document) = try await server.request("GET", "/openapi.json")
        #expect(openapi == 200)
        let paths = document?["paths"] as? [String: Any] ?? [:]
        for path in [
            "/v1/orgs", "/v1/payments/stk-push", "/v1/mpesa-credentials", "/v1/audit-log/verify",
            "/callbacks/{slug}/{token}/stk",
        ] {
            #expect(paths[path] != nil, "openapi lacks \(path)")
        }
        #expect(try await server.raw("GET", "/metrics").0 == 401)
        let metrics = try await server.raw("GET", "/metrics", token: root)
        let metricsText = String(decoding: metrics.1, as: UTF8.self)
        #expect(metricsText.contains("pesa_http_requests_total"))
        #expect(metricsText.contains("pesa_journal_commit_duration_seconds"))
        #expect(metricsText.contains("pesa_tenant_events_total"))
    }
}
