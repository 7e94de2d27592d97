import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import Testing

@Suite struct APIKeyTests {
    struct OneKey: APIKeyResolver {
        let hash: String
        func identity(forKeyHash keyHash: String) async throws -> Identity? {
            guard keyHash == hash else { return nil }
            let principal = try Principal(role: .manager, organizationID: TestApp.orgA)
            return Identity(apiKey: TestApp.keyA, principal: principal)
        }
    }

    @Test func generatedKeysHaveTheContractsShape() {
        let test = APIKey.generate(environment: .sandbox)
        let live = APIKey.generate(environment: .production)
        #expect(test.secret.hasPrefix("pk_test_"))
        #expect(live.secret.hasPrefix("pk_live_"))
        #expect(test.secret.count == "pk_test_".count + Limits.apiKeyRandomCharactersCount)
        #expect(APIKey.isWellFormed(test.secret) && APIKey.isWellFormed(live.secret))
        #expect(test.secret != APIKey.generate(environment: .sandbox).secret)
        #expect(test.hash.count == 64 && test.hash.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(test.hash == APIKey.hash(of: test.secret))
        #expect(test.hint.hasPrefix("pk_test_…") && test.hint.hasSuffix(String(test.secret.suffix(4))))
        #expect(!"\(test)".contains(test.secret))
        // SHA-256("abc")
        #expect(APIKey.hash(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(!APIKey.isWellFormed("pk_test_short"))
        #expect(!APIKey.isWellFormed("pk_prod_" + String(repeating: "a", count: 40)))
        #expect(!APIKey.isWellFormed("pk_test_" + String(repeating: "-", count: 40)))
    }

    @Test func knownKeyAuthenticatesAsItsPrincipal() async throws {
        let key = APIKey.generate(environment: .sandbox)
        var app = await TestApp()
        app.apiKeys = OneKey(hash: key.hash)
        try await app.test { client in
            try await client.execute(uri: "/v1/whoami", method: .get, headers: TestApp.bearer(key.secret)) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("\"kind\":\"api_key\""))
                #expect(response.text.contains(TestApp.keyA.rawValue))
                #expect(response.text.contains("\"role\":\"manager\""))
            }
        }
        #expect(!app.logs.all.contains { $0.contains(key.secret) })
    }

    @Test func unknownRevokedOrMalformedKeysAre401() async throws {
        let key = APIKey.generate(environment: .sandbox)
        var app = await TestApp()
        app.apiKeys = OneKey(hash: key.hash)
        let others = [
            APIKey.generate(environment: .sandbox).secret, "pk_test_short", "pk_" + key.secret, key.secret + "!",
        ]
        try await app.test { client in
            for other in others {
                try await client.execute(uri: "/v1/whoami", method: .get, headers: TestApp.bearer(other)) { response in
                    #expect(response.status == .unauthorized)
                    let error = try ErrorBody.decode(response)
                    #expect(error.code == "UNAUTHENTICATED")
                }
            }
        }
    }
}
