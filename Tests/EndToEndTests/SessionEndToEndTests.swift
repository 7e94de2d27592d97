import Foundation
import PesaTesting
import Testing

/// Sessions, credentials and operations access on the real `pesa serve` over loopback: logout survives a
/// restart, a revoked key or a deleted or demoted user is refused on the very next request, logins are audited,
/// and `/metrics` needs a super_admin or the metrics token.
@Suite(.serialized) struct SessionEndToEndTests {
    static let metricsToken = "scrape-token-0123456789abcdef"
    static let environment = [
        "PESA_ADMIN_EMAIL": "root@example.com", "PESA_ADMIN_PASSWORD": "root-password-1",
        "PESA_METRICS_TOKEN": metricsToken,
    ]

    func login(_ server: ServerProcess, _ email: String, _ password: String) async throws -> String {
        let (status, body) = try await server.request(
            "POST", "/v1/auth/login", json: ["email": email, "password": password])
        #expect(status == 200, "login \(email): \(status)")
        return try #require(body?["access_token"] as? String)
    }

    /// An organization `acme` with an org_admin `boss@acme.co.ke`; returns its id.
    func makeAcme(_ server: ServerProcess, root: String) async throws -> String {
        let (_, acme) = try await server.request(
            "POST", "/v1/orgs", token: root, json: ["name": "Acme", "slug": "acme"])
        let acmeID = try #require(acme?["id"] as? String)
        let boss = ["email": "boss@acme.co.ke", "password": "boss-password-1", "role": "org_admin"]
        #expect(try await server.request("POST", "/v1/orgs/\(acmeID)/users", token: root, json: boss).0 == 201)
        return acmeID
    }

    /// A fresh server with its super admin (`root`) and `acme`, stopped and removed after `body`.
    func withAcme(
        _ name: String, _ body: (ServerProcess, _ root: String, _ acmeID: String) async throws -> Void
    ) async throws {
        let temp = TemporaryDirectory(name)
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path, environment: Self.environment)
        try await server.start()
        defer { server.stop() }
        let root = try await login(server, "root@example.com", "root-password-1")
        try await body(server, root, try await makeAcme(server, root: root))
    }

    func errorCode(_ body: [String: Any]?) -> String? {
        (body?["error"] as? [String: Any])?["code"] as? String
    }

    @Test func logoutRevokesTheTokenAlsoAfterARestart() async throws {
        try await withAcme("e2e-logout") { server, root, acmeID in
            let boss = try await login(server, "boss@acme.co.ke", "boss-password-1")
            let otherBossSession = try await login(server, "boss@acme.co.ke", "boss-password-1")
            let rootSession = try await login(server, "root@example.com", "root-password-1")
            for _ in 0..<3 { #expect(try await server.request("GET", "/v1/orgs/\(acmeID)", token: boss).0 == 200) }

            let (out, outBody, _) = try await server.raw("POST", "/v1/auth/logout", token: boss)
            #expect(out == 204)
            #expect(outBody.isEmpty)
            let (refused, refusedBody) = try await server.request("GET", "/v1/orgs/\(acmeID)", token: boss)
            #expect(refused == 401)
            #expect(errorCode(refusedBody) == "UNAUTHENTICATED")
            #expect(try await server.request("POST", "/v1/auth/logout", token: boss).0 == 401)
            #expect(try await server.request("GET", "/v1/orgs/\(acmeID)", token: otherBossSession).0 == 200)
            #expect(try await server.raw("POST", "/v1/auth/logout", token: rootSession).0 == 204)
            #expect(try await server.request("GET", "/v1/orgs", token: rootSession).0 == 401)

            server.stop()
            try await server.start()
            #expect(try await server.request("GET", "/v1/orgs/\(acmeID)", token: boss).0 == 401)
            #expect(try await server.request("GET", "/v1/orgs", token: rootSession).0 == 401)
            #expect(try await server.request("GET", "/v1/orgs/\(acmeID)", token: otherBossSession).0 == 200)
            #expect(try await server.request("GET", "/v1/orgs", token: root).0 == 200)
            let again = try await login(server, "boss@acme.co.ke", "boss-password-1")
            #expect(try await server.request("GET", "/v1/orgs/\(acmeID)", token: again).0 == 200)
        }
    }

    @Test func revokedKeysAndDeletedOrDemotedUsersAreRefusedOnTheNextRequest() async throws {
        try await withAcme("e2e-revoke") { server, root, acmeID in
            let boss = try await login(server, "boss@acme.co.ke", "boss-password-1")

            let (created, key) = try await server.request(
                "POST", "/v1/api-keys", token: boss, json: ["name": "backend"])
            #expect(created == 201)
            let keyID = try #require(key?["id"] as? String)
            let secret = try #require(key?["key"] as? String)
            for _ in 0..<5 { #expect(try await server.request("GET", "/v1/transactions", token: secret).0 == 200) }
            let (keyLogout, keyLogoutBody) = try await server.request("POST", "/v1/auth/logout", token: secret)
            #expect(keyLogout == 403)
            #expect(errorCode(keyLogoutBody) == "FORBIDDEN")
            #expect(try await server.raw("DELETE", "/v1/api-keys/\(keyID)", token: boss).0 == 204)
            let (revoked, revokedBody) = try await server.request("GET", "/v1/transactions", token: secret)
            #expect(revoked == 401)
            #expect(errorCode(revokedBody) == "UNAUTHENTICATED")

            for (email, role) in [("clerk@acme.co.ke", "user"), ("lead@acme.co.ke", "manager")] {
                let user = ["email": email, "password": "user-password-1", "role": role]
                #expect(try await server.request("POST", "/v1/orgs/\(acmeID)/users", token: boss, json: user).0 == 201)
            }
            let (_, users) = try await server.request("GET", "/v1/orgs/\(acmeID)/users", token: boss)
            let ids = Dictionary(
                uniqueKeysWithValues: (users?["data"] as? [[String: Any]] ?? []).compactMap {
                    user -> (String, String)? in
                    guard let email = user["email"] as? String, let id = user["id"] as? String else { return nil }
                    return (email, id)
                })
            let clerk = try await login(server, "clerk@acme.co.ke", "user-password-1")
            let lead = try await login(server, "lead@acme.co.ke", "user-password-1")
            for token in [clerk, lead] {
                for _ in 0..<3 { #expect(try await server.request("GET", "/v1/transactions", token: token).0 == 200) }
            }
            let clerkID = try #require(ids["clerk@acme.co.ke"])
            let leadID = try #require(ids["lead@acme.co.ke"])
            #expect(try await server.raw("DELETE", "/v1/orgs/\(acmeID)/users/\(clerkID)", token: boss).0 == 204)
            #expect(try await server.request("GET", "/v1/transactions", token: clerk).0 == 401)
            let demote = ["role": "user"]
            #expect(
                try await server.request("PATCH", "/v1/orgs/\(acmeID)/users/\(leadID)", token: boss, json: demote).0
                    == 200)
            #expect(try await server.request("GET", "/v1/transactions", token: lead).0 == 401)
            // A password change kills the sessions opened before it (tokens of an earlier second).
            let before = try await login(server, "lead@acme.co.ke", "user-password-1")
            try await Task.sleep(for: .milliseconds(1_100))
            let newPassword = ["password": "user-password-2"]
            #expect(
                try await server.request("PATCH", "/v1/orgs/\(acmeID)/users/\(leadID)", token: boss, json: newPassword)
                    .0 == 200)
            #expect(try await server.request("GET", "/v1/transactions", token: before).0 == 401)
            let after = try await login(server, "lead@acme.co.ke", "user-password-2")
            #expect(try await server.request("GET", "/v1/transactions", token: after).0 == 200)
            let disable: [String: Any] = ["disabled": true]
            let bossID = try #require(ids["boss@acme.co.ke"])
            #expect(
                try await server.request("PATCH", "/v1/orgs/\(acmeID)/users/\(bossID)", token: root, json: disable).0
                    == 200)
            #expect(try await server.request("GET", "/v1/transactions", token: boss).0 == 401)
        }
    }

    /// Sessions end exactly: a token issued before a password change, a disable or a role change is refused
    /// afterwards even within the same second, and re-enabling or restoring the role revives none of them.
    /// `POST /v1/auth/password` changes one's own password, ends the other sessions and answers a new token.
    @Test func sessionsEndAtTheChangeEvenWithinTheSameSecondAndNothingRevivesThem() async throws {
        try await withAcme("e2e-exact") { server, root, acmeID in
            let user = ["email": "lead@acme.co.ke", "password": "user-password-1", "role": "manager"]
            let (_, created) = try await server.request("POST", "/v1/orgs/\(acmeID)/users", token: root, json: user)
            let leadID = try #require(created?["id"] as? String)
            let path = "/v1/orgs/\(acmeID)/users/\(leadID)"
            func patch(_ json: [String: Any]) async throws {
                #expect(try await server.request("PATCH", path, token: root, json: json).0 == 200)
            }
            // No pause anywhere: the login and the change share a second most of the time.
            let beforeDisable = try await login(server, "lead@acme.co.ke", "user-password-1")
            try await patch(["disabled": true])
            try await patch(["disabled": false])
            #expect(try await server.request("GET", "/v1/transactions", token: beforeDisable).0 == 401)
            let beforeDemotion = try await login(server, "lead@acme.co.ke", "user-password-1")
            try await patch(["role": "user"])
            try await patch(["role": "manager"])
            #expect(try await server.request("GET", "/v1/transactions", token: beforeDemotion).0 == 401)
            let beforeChange = try await login(server, "lead@acme.co.ke", "user-password-1")
            try await patch(["password": "user-password-2"])
            #expect(try await server.request("GET", "/v1/transactions", token: beforeChange).0 == 401)

            // Changing one's own password.
            let first = try await login(server, "lead@acme.co.ke", "user-password-2")
            let second = try await login(server, "lead@acme.co.ke", "user-password-2")
            let wrong = ["current_password": "not-my-password", "new_password": "user-password-3"]
            let (refused, refusedBody) = try await server.request(
                "POST", "/v1/auth/password", token: first, json: wrong)
            #expect(refused == 422)
            #expect((refusedBody?["error"] as? [String: Any])?["param"] as? String == "current_password")
            let short = ["current_password": "user-password-2", "new_password": "short"]
            #expect(try await server.request("POST", "/v1/auth/password", token: first, json: short).0 == 422)
            let change = ["current_password": "user-password-2", "new_password": "user-password-3"]
            let (changed, answer) = try await server.request("POST", "/v1/auth/password", token: first, json: change)
            #expect(changed == 200)
            let fresh = try #require(answer?["access_token"] as? String)
            #expect(try await server.request("GET", "/v1/transactions", token: fresh).0 == 200)
            for old in [first, second] {
                #expect(try await server.request("GET", "/v1/transactions", token: old).0 == 401)
            }
            #expect(try await server.request(
                "POST", "/v1/auth/login", json: ["email": "lead@acme.co.ke", "password": "user-password-2"]).0 == 401)
            _ = try await login(server, "lead@acme.co.ke", "user-password-3")
            let (audit, log) = try await server.request(
                "GET", "/v1/audit-log?org=\(acmeID)&action=auth.password_change", token: root)
            #expect(audit == 200)
            let entries = log?["data"] as? [[String: Any]] ?? []
            #expect(entries.count == 1)
            #expect(entries.first?["target"] as? String == leadID)
        }
    }

    @Test func loginsFailedLoginsAndLogoutsAreInTheAuditLog() async throws {
        try await withAcme("e2e-audit") { server, root, acmeID in
            let (wrong, wrongBody) = try await server.request(
                "POST", "/v1/auth/login", json: ["email": "boss@acme.co.ke", "password": "not-the-password-9"])
            #expect(wrong == 401)
            #expect(errorCode(wrongBody) == "UNAUTHENTICATED")
            let (unknown, _) = try await server.request(
                "POST", "/v1/auth/login", json: ["email": "nobody@acme.co.ke", "password": "not-the-password-9"])
            #expect(unknown == 401)
            let first = try await login(server, "boss@acme.co.ke", "boss-password-1")
            #expect(try await server.raw("POST", "/v1/auth/logout", token: first).0 == 204)
            let boss = try await login(server, "boss@acme.co.ke", "boss-password-1")

            let (status, log, _) = try await server.raw("GET", "/v1/audit-log?limit=500", token: boss)
            #expect(status == 200)
            #expect(!String(decoding: log, as: UTF8.self).contains("not-the-password-9"))
            #expect(!String(decoding: log, as: UTF8.self).contains("boss-password-1"))
            let object = try JSONSerialization.jsonObject(with: log) as? [String: Any]
            let entries = object?["data"] as? [[String: Any]] ?? []
            let auth = entries.filter { ($0["action"] as? String)?.hasPrefix("auth.") == true }
            #expect(
                auth.compactMap { $0["action"] as? String } == [
                    "auth.login_failed", "auth.login", "auth.logout", "auth.login",
                ])
            #expect(auth.first?["actor"] as? String == "anonymous")
            let bossID = auth.last?["actor"] as? String
            #expect(bossID?.hasPrefix("usr_") == true)
            #expect(auth.allSatisfy { $0["target"] as? String == bossID })
            #expect(auth.allSatisfy { ($0["request_id"] as? String)?.hasPrefix("req_") == true })
            #expect(try await server.request("GET", "/v1/audit-log/verify", token: boss).1?["ok"] as? Bool == true)
            // A super admin's own logins are in the instance's log, and only a super admin reads it.
            let (system, systemLog) = try await server.request("GET", "/v1/audit-log?org=system", token: root)
            #expect(system == 200)
            let systemActions = (systemLog?["data"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(systemActions.filter { $0 == "auth.login" }.count == 1)
            #expect(systemActions.contains("user.create"))
            #expect(
                try await server.request("GET", "/v1/audit-log/verify?org=system", token: root).1?["ok"] as? Bool
                    == true)
            // Anyone else naming another organization (the instance's log included) is refused, never read as
            // their own; naming their own organization is fine.
            let (other, otherBody) = try await server.request("GET", "/v1/audit-log?org=system", token: boss)
            #expect(other == 404)
            #expect(errorCode(otherBody) == "NOT_FOUND")
            #expect(try await server.request("GET", "/v1/audit-log?org=\(acmeID)", token: boss).0 == 200)
            let stranger = "org_00000000000000000000000000"
            #expect(try await server.request("GET", "/v1/transactions?org=\(stranger)", token: boss).0 == 404)
            #expect(try await server.request("GET", "/v1/orgs/\(acmeID)", token: root).0 == 200)
        }
    }

    @Test func metricsNeedASuperAdminOrTheMetricsToken() async throws {
        try await withAcme("e2e-metrics") { server, root, acmeID in
            let boss = try await login(server, "boss@acme.co.ke", "boss-password-1")
            #expect(try await server.request("GET", "/v1/orgs/\(acmeID)", token: boss).0 == 200)

            let (anonymous, anonymousBody) = try await server.request("GET", "/metrics")
            #expect(anonymous == 401)
            #expect(errorCode(anonymousBody) == "UNAUTHENTICATED")
            #expect(try await server.request("GET", "/metrics", token: Self.metricsToken + "x").0 == 401)
            #expect(try await server.request("GET", "/metrics", token: "garbage").0 == 401)
            let (orgAdmin, orgAdminBody) = try await server.request("GET", "/metrics", token: boss)
            #expect(orgAdmin == 403)
            #expect(errorCode(orgAdminBody) == "FORBIDDEN")
            let (_, document) = try await server.request("GET", "/openapi.json")
        let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
        #expect((paths["/v1/auth/logout"]?["post"] as? [String: Any])?["x-required-role"] as? String == "user")
        let metricsOperation = paths["/metrics"]?["get"] as? [String: Any]
        #expect(metricsOperation?["x-required-role"] as? String == "super_admin")
        #expect((metricsOperation?["security"] as? [[String: Any]])?.count == 2)
        // The metrics token opens /metrics only.
            #expect(try await server.request("GET", "/v1/orgs", token: Self.metricsToken).0 == 401)
            for token in [root, Self.metricsToken] {
                let (status, body, headers) = try await server.raw("GET", "/metrics", token: token)
                #expect(status == 200)
                #expect(headers["content-type"]?.hasPrefix("text/plain") == true)
                let text = String(decoding: body, as: UTF8.self)
                for name in [
                    "pesa_http_requests_total{", "pesa_http_request_duration_seconds_bucket{",
                    "pesa_journal_fsync_duration_seconds", "pesa_journal_commit_duration_seconds",
                    "pesa_tenant_http_requests_total{", "pesa_tenant_events_total{",
                ] {
                    #expect(text.contains(name), "metrics lack \(name)")
                }
                #expect(text.contains("route=\"/v1/orgs/{id}\"") && text.contains("status=\"200\""))
                #expect(text.contains("tenant=\"\(acmeID)\""))
            }
        }
    }
}
