import PesaCore
import PesaStore
import PesaTesting
import Testing

@testable import PesaEngine

@Suite struct EngineMaintenanceTests {
    @Test func theTailIsSnapshottedAndCompactedAutomatically() async throws {
        let harness = try await EngineHarness.start(snapshotEvery: 10)
        let acme = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        for index in 0..<15 {
            _ = try await harness.gateway.createUser(
                in: acme, email: "u\(index)@acme.co.ke", passwordHash: "h", role: .user, by: admin)
        }
        let engine = try await harness.gateway.engine(acme)
        let deadline = ContinuousClock.now + .seconds(10)
        while engine.isSnapshotting && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let directory = "/data/tenants/\(acme.rawValue)"
        let snapshots = try harness.io.listDirectory(at: directory + "/snapshots").filter { $0.hasSuffix(".snapshot") }
        #expect(!snapshots.isEmpty)
        let restarted = try await harness.restarted()
        #expect(try await restarted.gateway.users(in: acme, by: admin).count == 15)
        let report = try TenantVerifier(io: harness.io).verify(
            directory: directory, tenantID: acme.rawValue, as: TenantState.self, vault: nil)
        #expect(report.isClean, "\(report.problems)")
        #expect(report.snapshotsChecked >= 1)
    }

    @Test func idleTenantsAreUnloadedAndComeBackIntact() async throws {
        let (registry, id) = try await Self.registryWithOneTenant(seed: 3)
        let loaded = try await registry.engine(id: id)
        await registry.evictIdle()
        let reloaded = try await registry.engine(id: id)
        #expect(loaded !== reloaded)
        #expect(try await reloaded.read { $0.organization?.slug.rawValue } == "acme")
    }

    /// The background services (reconciler, batch sender, webhook dispatcher) look at loaded tenants every few
    /// hundred milliseconds; looking is not using, so an organization nobody uses still unloads.
    @Test func backgroundLooksDoNotKeepATenantLoaded() async throws {
        let clock = SettableClock(1_000)
        let harness = try await EngineHarness.start(clock: clock)
        let acme = try await harness.makeOrganization("acme")
        let engine = try await harness.gateway.engine(acme)
        let used = engine.lastUsedMs
        clock.set(900_000)
        await harness.gateway.reconcile(acme)
        _ = await harness.gateway.sendBatchRows(acme, pacer: BatchPacer(rowsPerSecond: 10), budget: 1)
        _ = await harness.gateway.dueWebhookDeliveries(acme, nowMs: 900_000, max: 1, excluding: [])
        #expect(engine.lastUsedMs == used)
        _ = try await engine.read { $0.payments.count }
        #expect(engine.lastUsedMs == 900_000)
    }

    /// Many requests for a tenant that is not open share one opening (it used to allow a single waiter).
    @Test func manyCallersShareOneOpening() async throws {
        let (registry, id) = try await Self.registryWithOneTenant(seed: 4)
        let engines = await withTaskGroup(of: TenantEngine?.self) { group in
            for _ in 0..<8 { group.addTask { try? await registry.engine(id: id) } }
            var engines: [TenantEngine?] = []
            for await engine in group { engines.append(engine) }
            return engines
        }
        let first = try #require(engines.first ?? nil)
        #expect(engines.allSatisfy { $0 === first })
    }

    /// An engine that was handed out just before it was unloaded refuses commands (nothing written after its
    /// journal closed), and the next request gets a new engine once the old one is closed.
    @Test func anUnloadedEngineRefusesCommandsAndANewOneTakesOver() async throws {
        let (registry, id) = try await Self.registryWithOneTenant(seed: 5)
        let stale = try await registry.engine(id: id)
        await registry.evictIdle()
        let refused = await #expect(throws: EngineError.self) {
            try await stale.execute { (_, _) throws(EngineError) in Decision(events: [], value: ()) }
        }
        #expect(refused?.code == .storageUnavailable)
        let fresh = try await registry.engine(id: id)
        #expect(fresh !== stale)
        try await fresh.execute { (_, _) throws(EngineError) in Decision(events: [], value: ()) }
        // Stopping takes effect once.
        #expect(fresh.closeIfIdle())
        #expect(!fresh.closeIfIdle())
    }

    static func registryWithOneTenant(seed: UInt64) async throws -> (TenantRegistry, String) {
        let io = SimulatedFileIO(seed: seed)
        let gateway = try await Gateway.start(
            data: DataDirectory(root: "/data", io: io), masterKey: .generate(), clock: FixedClock(),
            logger: EngineHarness.quiet)
        let acme = try await gateway.createOrganization(
            name: "Acme", slug: "acme", plan: "free", by: EngineHarness.superAdmin)
        await gateway.close()
        let registry = TenantRegistry(
            data: gateway.registry.data, clock: FixedClock(), idleEvictionMs: -1, logger: EngineHarness.quiet)
        try registry.discover()
        return (registry, acme.record.id.rawValue)
    }
}
