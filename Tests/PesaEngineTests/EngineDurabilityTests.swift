import PesaCore
import PesaStore
import PesaTesting
import Testing

@testable import PesaEngine

@Suite struct EngineDurabilityTests {
    @Test func concurrentCommandsEachSeeTheOthersAndAllAreDurable() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        // 60 users created at once; 10 of them with an email used twice: exactly one of each pair wins.
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<60 {
                group.addTask {
                    let email = "u\(index % 50)@acme.co.ke"
                    return (try? await harness.gateway.createUser(
                        in: acme, email: email, passwordHash: "h", role: .user, by: admin)) != nil
                }
            }
            var created = 0
            for await ok in group where ok { created += 1 }
            return created
        }
        #expect(results == 50)
        let restarted = try await harness.restarted()
        #expect(try await restarted.gateway.users(in: acme, by: admin).count == 50)
    }

    @Test func aFullDiskRefusesTheCommandChangesNothingAndTheTenantRecovers() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        harness.io.inject(.init(.append, pathContains: acme.rawValue, errno: 28, partialBytes: 10, times: 1))
        let error = await #expect(throws: EngineError.self) {
            try await harness.gateway.createUser(
                in: acme, email: "a@acme.co.ke", passwordHash: "h", role: .user, by: admin)
        }
        #expect(error?.code == .storageUnavailable)
        #expect(try await harness.gateway.users(in: acme, by: admin).isEmpty)
        _ = try await harness.gateway.createUser(
            in: acme, email: "a@acme.co.ke", passwordHash: "h", role: .user, by: admin)
        let restarted = try await harness.restarted()
        #expect(try await restarted.gateway.users(in: acme, by: admin).map(\.email) == ["a@acme.co.ke"])
        #expect(try await restarted.gateway.verifyAuditLog(in: acme, by: admin).ok)
    }

    @Test func aDamagedTenantIsFencedWhileOthersCarryOn() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let globex = try await harness.makeOrganization("globex")
        _ = try await harness.gateway.createUser(
            in: acme, email: "a@acme.co.ke", passwordHash: "h", role: .user, by: EngineHarness.superAdmin)
        await harness.gateway.close()
        let segment = "/data/tenants/\(acme.rawValue)/journal/00000000000000000001.jsonl"
        harness.io.corrupt(path: segment, offset: 30, with: UInt8(ascii: "9"))
        let restarted = try await EngineHarness.start(io: harness.io, key: harness.key)
        let error = await #expect(throws: EngineError.self) {
            try await restarted.gateway.organization(acme, by: EngineHarness.superAdmin)
        }
        #expect(error?.code == .tenantUnavailable)
        #expect(
            try await restarted.gateway.organization(globex, by: EngineHarness.superAdmin).record.slug.rawValue
                == "globex")
    }

    @Test func credentialsAreVaultedMaskedAndVersioned() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        var input = MpesaCredentialsInput()
        input.environment = "sandbox"
        input.consumerKey = " ck_live_key_123456 "
        let missing = await #expect(throws: EngineError.self) {
            try await harness.gateway.putCredentials(input, in: acme, by: admin)
        }
        #expect(missing?.code == .invalidField)
        #expect(missing?.param == "consumer_secret")
        #expect(
            missing?.message
                == "missing required fields: consumer_secret, business_short_code, passkey, initiator_name,"
                    + " initiator_password"
        )
        let noCredentials = await #expect(throws: EngineError.self) { try await harness.gateway.credentials(for: acme) }
        #expect(noCredentials?.code == .credentialsMissing)
        input.consumerSecret = "VerySecretConsumerSecret"
        input.businessShortCode = "174379"
        input.passkey = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"
        input.initiatorName = "testapi"
        input.initiatorPassword = "Safaricom999!*!"
        let view = try await harness.gateway.putCredentials(input, in: acme, by: admin)
        #expect(view.version == 1)
        #expect(view.hints["consumer_secret"] == "****cret")
        #expect(view.hints["initiator_password"] == "********")
        let stored = try await harness.gateway.credentials(for: acme)
        #expect(stored.consumerKey == "ck_live_key_123456")
        #expect(stored.initiatorPassword == "Safaricom999!*!")
        #expect(!stored.description.contains("Secret"))
        input.passkey = "0000000000000000000000000000000000000000000000000000000000000000"
        #expect(try await harness.gateway.putCredentials(input, in: acme, by: admin).version == 2)
        let manager = EngineHarness.member(.manager, of: acme)
        let managerPut = await #expect(throws: EngineError.self) {
            try await harness.gateway.putCredentials(input, in: acme, by: manager)
        }
        #expect(managerPut?.code == .forbidden)
        #expect(try await harness.gateway.credentialsView(in: acme, by: manager).version == 2)
        let restarted = try await harness.restarted()
        #expect(try await restarted.gateway.credentials(for: acme).passkey.hasPrefix("0000"))
        for (path, bytes) in harness.io.allFiles() {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains("VerySecretConsumerSecret"), "secret in clear in \(path)")
            #expect(!text.contains("Safaricom999"), "initiator password in clear in \(path)")
        }
    }

    /// A hint shows the last 4 characters only of a secret long enough that they are at most a quarter of it.
    @Test func shortSecretsAreAllStars() {
        #expect(MpesaCredentials.mask("") == "****")
        #expect(MpesaCredentials.mask("Secret-twelve") == "****")
        #expect(MpesaCredentials.mask("fifteen-secrets") == "****")
        #expect(MpesaCredentials.mask("sixteen-secretss") == "****etss")
    }

    @Test func apiKeysResolveByHashUntilRevoked() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        let key = try await harness.gateway.createAPIKey(
            in: acme, name: "backend", role: .manager, environment: "sandbox", keyHash: "ab12",
            keyHint: "pk_test_…ab12",
            by: admin)
        let restarted = try await harness.restarted()
        let found = try #require(await restarted.gateway.apiKey(hash: "ab12"))
        #expect(found.organization == acme)
        #expect(found.key.role == .manager)
        #expect(await restarted.gateway.apiKey(hash: "ffff") == nil)
        try await restarted.gateway.revokeAPIKey(key.id, in: acme, by: admin)
        #expect(await restarted.gateway.apiKey(hash: "ab12") == nil)
        let orgAdminKey = await #expect(throws: EngineError.self) {
            try await restarted.gateway.createAPIKey(
                in: acme, name: "x", role: .superAdmin, environment: "sandbox", keyHash: "cd", keyHint: "…", by: admin)
        }
        #expect(orgAdminKey?.code == .forbidden)
    }
}
