import Foundation
import PesaTesting
import Testing

/// `Idempotency-Key` on the administrative creating routes, on the real `pesa serve`: a retry gets the first
/// answer (also after a restart), another body is 409, a caller without the right gets no answer, an API key
/// is never made twice (its retry gets the first answer while the server runs, and after a restart 409 naming
/// it, as its key is kept nowhere), and the secrets in those answers (an API key, a callback URL's token, a
/// password) are never in the clear in the journals.
@Suite(.serialized) struct AdminIdempotencyEndToEndTests {
    let session = SessionEndToEndTests()

    func code(_ data: Data) -> String? {
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }

    func field(_ data: Data, _ name: String) -> String? {
        ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?[name] as? String
    }

    /// Every byte pesa wrote under `directory`.
    func everyFile(under directory: String) -> [(String, Data)] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var files: [(String, Data)] = []
        while let path = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: directory + "/" + path) { files.append((path, data)) }
        }
        return files
    }

    @Test func organizationsUsersAndAPIKeysAnswerARetryWithTheFirstAnswer() async throws {
        let temp = TemporaryDirectory("e2e-admin-idempotency")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path, environment: SessionEndToEndTests.environment)
        try await server.start()
        defer { server.stop() }
        var root = try await session.login(server, "root@example.com", "root-password-1")

        // An organization: the retry gets the same organization (same callback URL), not a second one.
        let organization: [String: Any] = ["name": "Kilimo", "slug": "kilimo"]
        let orgKey = ["Idempotency-Key": "create-kilimo"]
        let (created, first, firstHeaders) = try await server.raw(
            "POST", "/v1/orgs", token: root, json: organization, headers: orgKey)
        #expect(created == 201)
        #expect(firstHeaders["idempotency-hit"] == nil)
        let (again, replay, replayHeaders) = try await server.raw(
            "POST", "/v1/orgs", token: root, json: organization, headers: orgKey)
        #expect(again == 201)
        #expect(replayHeaders["idempotency-hit"] == "true")
        #expect(replay == first)
        let (reused, reusedBody, _) = try await server.raw(
            "POST", "/v1/orgs", token: root, json: ["name": "Kilimo Two", "slug": "kilimo-two"], headers: orgKey)
        #expect(reused == 409)
        #expect(code(reusedBody) == "IDEMPOTENCY_KEY_REUSED")
        let (_, listed) = try await server.request("GET", "/v1/orgs", token: root)
        #expect((listed?["data"] as? [[String: Any]])?.count == 1)
        let orgID = try #require(field(first, "id"))
        let callbackBase = try #require(field(first, "callback_url_base"))
        let callbackToken = try #require(callbackBase.split(separator: "/").last.map(String.init))

        // A user: the password takes part in "the same body".
        let user = ["email": "ops@kilimo.co.ke", "password": "ops-password-1", "role": "org_admin"]
        let userKey = ["Idempotency-Key": "create-ops"]
        let (userCreated, firstUser, _) = try await server.raw(
            "POST", "/v1/orgs/\(orgID)/users", token: root, json: user, headers: userKey)
        #expect(userCreated == 201)
        let (userAgain, userReplay, userReplayHeaders) = try await server.raw(
            "POST", "/v1/orgs/\(orgID)/users", token: root, json: user, headers: userKey)
        #expect(userAgain == 201)
        #expect(userReplayHeaders["idempotency-hit"] == "true")
        #expect(userReplay == firstUser)
        var otherPassword = user
        otherPassword["password"] = "another-password-2"
        let (userReused, userReusedBody, _) = try await server.raw(
            "POST", "/v1/orgs/\(orgID)/users", token: root, json: otherPassword, headers: userKey)
        #expect(userReused == 409)
        #expect(code(userReusedBody) == "IDEMPOTENCY_KEY_REUSED")
        var ops = try await session.login(server, "ops@kilimo.co.ke", "ops-password-1")

        // An API key: the retry makes no second key and gets the first answer (from memory).
        let apiKey = ["name": "backend", "role": "manager"]
        let keyKey = ["Idempotency-Key": "create-backend-key"]
        let (keyCreated, firstKey, _) = try await server.raw(
            "POST", "/v1/api-keys", token: ops, json: apiKey, headers: keyKey)
        #expect(keyCreated == 201)
        let keyID = try #require(field(firstKey, "id"))
        let (keyAgain, keyReplay, keyReplayHeaders) = try await server.raw(
            "POST", "/v1/api-keys", token: ops, json: apiKey, headers: keyKey)
        #expect(keyAgain == 201)
        #expect(keyReplayHeaders["idempotency-hit"] == "true")
        #expect(keyReplay == firstKey)
        let secret = try #require(field(firstKey, "key"))
        // A second key made and revoked: its retry is not handed out as if it worked.
        let revokedKey = ["Idempotency-Key": "create-then-revoke"]
        let (_, made, _) = try await server.raw(
            "POST", "/v1/api-keys", token: ops, json: ["name": "short-lived"], headers: revokedKey)
        let madeID = try #require(field(made, "id"))
        #expect(try await server.request("DELETE", "/v1/api-keys/\(madeID)", token: ops).0 == 204)
        let (retried, retriedBody, _) = try await server.raw(
            "POST", "/v1/api-keys", token: ops, json: ["name": "short-lived"], headers: revokedKey)
        #expect(retried == 409)
        #expect(String(decoding: retriedBody, as: UTF8.self).contains(madeID))
        let (keyOther, keyOtherBody, _) = try await server.raw(
            "POST", "/v1/api-keys", token: ops, json: ["name": "other"], headers: keyKey)
        #expect(keyOther == 409)
        #expect(code(keyOtherBody) == "IDEMPOTENCY_KEY_REUSED")
        #expect(try await server.request("GET", "/v1/transactions", token: secret).0 == 200)
        let (_, keys) = try await server.request("GET", "/v1/api-keys", token: ops)
        #expect((keys?["data"] as? [[String: Any]])?.count == 2)  // backend and the revoked one; no retry made one

        // A manager sending the same key and body is refused for its role, not answered with the key.
        let manager = ["email": "clerk@kilimo.co.ke", "password": "clerk-password-1", "role": "manager"]
        #expect(try await server.request("POST", "/v1/orgs/\(orgID)/users", token: ops, json: manager).0 == 201)
        let clerk = try await session.login(server, "clerk@kilimo.co.ke", "clerk-password-1")
        let (refused, refusedBody, _) = try await server.raw(
            "POST", "/v1/api-keys", token: clerk, json: apiKey, headers: keyKey)
        #expect(refused == 403)
        #expect(field(refusedBody, "key") == nil)
        #expect(!String(decoding: refusedBody, as: UTF8.self).contains(secret))

        // After a restart the first answers are still given.
        server.stop()
        try await server.start()
        root = try await session.login(server, "root@example.com", "root-password-1")
        ops = try await session.login(server, "ops@kilimo.co.ke", "ops-password-1")
        #expect(try await server.raw("POST", "/v1/orgs", token: root, json: organization, headers: orgKey).1 == first)
        #expect(
            try await server.raw("POST", "/v1/orgs/\(orgID)/users", token: root, json: user, headers: userKey).1
                == firstUser)
        // The API key's first answer was never written down: 409 naming the key made, without its secret.
        let (keyAfter, keyAfterBody, _) = try await server.raw(
            "POST", "/v1/api-keys", token: ops, json: apiKey, headers: keyKey)
        #expect(keyAfter == 409)
        #expect(code(keyAfterBody) == "CONFLICT")
        #expect(String(decoding: keyAfterBody, as: UTF8.self).contains(keyID))
        #expect(!String(decoding: keyAfterBody, as: UTF8.self).contains(secret))
        #expect((try await server.request("GET", "/v1/api-keys", token: ops).1?["data"] as? [Any])?.count == 2)

        // The key, the password and the callback token are nowhere in the clear: the organization's journal
        // holds the token sealed (`callback-token.key`), and `system/`, which keeps the first answer, not at all.
        server.stop()
        let files = everyFile(under: temp.path)
        #expect(files.contains { $0.0.hasSuffix("/callback-token.key") })
        for (path, data) in files {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains(secret), "\(path)")
            #expect(!text.contains("ops-password-1"), "\(path)")
            #expect(!text.contains(callbackToken), "\(path)")
        }
    }
}

/// `POST /v1/orgs/{id}/callback-token/rotate` on the real server: new callback URLs at once, the old ones for
/// their grace; a second rotation during it only when forced (0 hours: none kept); an org_admin may, a manager
/// may not; bad input is 4xx naming the field.
@Suite(.serialized) struct CallbackTokenEndToEndTests {
    let session = SessionEndToEndTests()
    static let validation: [String: String] = [
        "TransactionType": "Pay Bill", "TransID": "", "TransAmount": "10", "BusinessShortCode": "174379",
        "BillRefNumber": "A1", "MSISDN": "2547****149",
    ]

    func validate(_ server: ServerProcess, base: String) async throws -> Int {
        let path = String(base.dropFirst(server.baseURL.count)) + "/c2b/validation"
        return try await server.request("POST", path, json: Self.validation).0
    }

    @Test func rotatingGivesNewCallbackURLsAndKeepsTheOldOnesForTheirGrace() async throws {
        try await session.withAcme("e2e-rotate") { server, root, acmeID in
            let boss = try await session.login(server, "boss@acme.co.ke", "boss-password-1")
            let (_, before) = try await server.request("GET", "/v1/orgs/\(acmeID)", token: boss)
            let oldBase = try #require(before?["callback_url_base"] as? String)
            #expect(try await validate(server, base: oldBase) == 200)

            let rotate = "/v1/orgs/\(acmeID)/callback-token/rotate"
            #expect(try await server.request("POST", rotate, token: boss).0 == 400)
            let (rotated, after) = try await server.request(
                "POST", rotate, token: boss, json: ["previous_valid_hours": 72])
            #expect(rotated == 200)
            let newBase = try #require(after?["callback_url_base"] as? String)
            #expect(newBase != oldBase)
            #expect(after?["previous_callback_token_valid_until"] as? String != nil)
            #expect(try await validate(server, base: newBase) == 200)
            #expect(try await validate(server, base: oldBase) == 200)

            let (refused, refusal) = try await server.request(
                "POST", rotate, token: boss, json: ["previous_valid_hours": 0])
            #expect(refused == 409)
            #expect((refusal?["error"] as? [String: Any])?["param"] as? String == "force")
            #expect(try await validate(server, base: oldBase) == 200)
            let (now, immediate) = try await server.request(
                "POST", rotate, token: boss, json: ["previous_valid_hours": 0, "force": true])
            #expect(now == 200)
            let latest = try #require(immediate?["callback_url_base"] as? String)
            #expect(immediate?["previous_callback_token_valid_until"] == nil)
            #expect(try await validate(server, base: newBase) == 404)
            #expect(try await validate(server, base: oldBase) == 404)
            #expect(try await validate(server, base: latest) == 200)

            for bad in [["previous_valid_hours": -1], ["previous_valid_hours": 100_000]] {
                let (status, body) = try await server.request("POST", rotate, token: boss, json: bad)
                #expect(status == 422)
                #expect((body?["error"] as? [String: Any])?["param"] as? String == "previous_valid_hours")
            }
            let clerk = ["email": "clerk@acme.co.ke", "password": "clerk-password-1", "role": "manager"]
            #expect(try await server.request("POST", "/v1/orgs/\(acmeID)/users", token: root, json: clerk).0 == 201)
            let manager = try await session.login(server, "clerk@acme.co.ke", "clerk-password-1")
            #expect(
                try await server.request("POST", rotate, token: manager, json: ["previous_valid_hours": 0]).0 == 403)
            #expect(try await validate(server, base: latest) == 200)
        }
    }
}
