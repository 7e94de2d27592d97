import PesaCore
import PesaTesting
import Testing

@testable import PesaEngine

/// An organization's rate limit override (its burst too) and an API key's own limit outlive a restart, read back
/// from the journal or from a snapshot; a key's limit above its organization's is refused before anything is
/// written.
@Suite struct RateLimitPersistenceTests {
    @Test(arguments: [50_000, 3] as [UInt64])
    func aRestartKeepsTheOverrideAndTheKeysLimit(snapshotEvery: UInt64) async throws {
        let harness = try await EngineHarness.start(snapshotEvery: snapshotEvery)
        let acme = try await harness.makeOrganization("acme")
        #expect(try await harness.gateway.rateLimit(of: acme) == RateLimit(perMinute: 300, burst: 300))
        var changes = OrganizationChanges()
        changes.rateLimitOverride = 900
        changes.rateLimitBurstOverride = 40
        _ = try await harness.gateway.updateOrganization(acme, changes, by: EngineHarness.superAdmin)
        let key = try await harness.gateway.createAPIKey(
            in: acme, name: "limited", role: .user, environment: "sandbox", keyHash: "ab12", keyHint: "h",
            rateLimit: RateLimit(perMinute: 100, burst: 10), by: EngineHarness.superAdmin)
        for index in 0..<4 {
            var rename = OrganizationChanges()
            rename.name = "Acme \(index)"
            _ = try await harness.gateway.updateOrganization(acme, rename, by: EngineHarness.superAdmin)
        }
        let restarted = try await harness.restarted()
        #expect(try await restarted.gateway.rateLimit(of: acme) == RateLimit(perMinute: 900, burst: 40))
        let keys = try await restarted.gateway.apiKeys(in: acme, by: EngineHarness.superAdmin)
        #expect(keys.map(\.rateLimit) == [RateLimit(perMinute: 100, burst: 10)])
        #expect(await restarted.gateway.apiKey(hash: "ab12")?.key.id == key.id)
        // Cleared: the plan's limit again, across another restart.
        var clear = OrganizationChanges()
        clear.clearRateLimitOverride = true
        _ = try await restarted.gateway.updateOrganization(acme, clear, by: EngineHarness.superAdmin)
        let again = try await restarted.restarted()
        #expect(try await again.gateway.rateLimit(of: acme) == RateLimit(perMinute: 300, burst: 300))
        await again.gateway.close()
    }

    @Test func aKeysLimitAboveItsOrganizationsOrABurstAloneIsRefused() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        for (limit, field) in [
            (RateLimit(perMinute: 301), "rate_limit.per_minute"),
            (RateLimit(perMinute: 10, burst: 301), "rate_limit.burst"),
            (RateLimit(perMinute: 0), "rate_limit.per_minute"),
        ] {
            await #expect {
                _ = try await harness.gateway.createAPIKey(
                    in: acme, name: "k", role: .user, environment: "sandbox", keyHash: "cd34", keyHint: "h",
                    rateLimit: limit, by: EngineHarness.superAdmin)
            } throws: { ($0 as? EngineError)?.param == field }
        }
        var burstAlone = OrganizationChanges()
        burstAlone.rateLimitBurstOverride = 5
        await #expect {
            _ = try await harness.gateway.updateOrganization(acme, burstAlone, by: EngineHarness.superAdmin)
        } throws: { ($0 as? EngineError)?.param == "rate_limit.per_minute" }
        #expect(try await harness.gateway.apiKeys(in: acme, by: EngineHarness.superAdmin).isEmpty)
        await harness.gateway.close()
    }
}
