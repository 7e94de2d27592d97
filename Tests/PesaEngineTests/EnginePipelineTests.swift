import Foundation
import PesaCore
import PesaStore
import PesaTesting
import Synchronization
import Testing

@testable import PesaEngine

/// The engine decides commands while earlier batches are still being made durable, and answers each only
/// once it and everything before it is durable; a failed write fails everything decided on top of it.
@Suite struct EnginePipelineTests {
    struct Setup {
        let io: HeldSyncIO
        let gateway: Gateway
        let acme: OrganizationID
        let engine: TenantEngine
    }

    static func start(seed: UInt64) async throws -> Setup {
        let io = HeldSyncIO(disk: SimulatedFileIO(seed: seed))
        let gateway = try await Gateway.start(
            data: DataDirectory(root: "/data", io: io), masterKey: .generate(), clock: FixedClock(),
            logger: EngineHarness.quiet)
        let acme = try await gateway.createOrganization(
            name: "Acme", slug: "acme", plan: "starter", by: EngineHarness.superAdmin).record.id
        return Setup(io: io, gateway: gateway, acme: acme, engine: try await gateway.engine(acme))
    }

    static func userID(_ index: UInt8) -> UserID { UserID(randomBytes: Array(repeating: index, count: 16)) }

    static func userCreated(_ index: UInt8) -> TenantEvent {
        .userCreated(.init(
            userID: userID(index), email: "u\(index)@acme.co.ke", role: .user,
            passwordHash: "h"))
    }

    /// Creates user `index` and answers how many users the command saw after its own event.
    static func create(_ index: UInt8, on engine: TenantEngine) -> Task<Int, any Error> {
        Task {
            try await engine.execute { _, _ in Decision(events: [userCreated(index)], value: ()) } thenRead: { state, _ in
                state.users.count
            }
        }
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<400 where !condition() { try await Task.sleep(for: .milliseconds(5)) }
        #expect(condition())
    }

    @Test func laterCommandsAreDecidedAndQueuedWhileABatchIsNotDurableAndAnsweredInOrder() async throws {
        let setup = try await Self.start(seed: 11)
        let journal = setup.engine.store.journal
        let before = journal.head.seq
        setup.io.held.withLock { $0 = true }
        let first = Self.create(1, on: setup.engine)
        try await Self.waitUntil { setup.io.waiting.value.load(ordering: .sequentiallyConsistent) == 1 }
        // While the first fsync is held, two more commands are decided and handed to the journal.
        let second = Self.create(2, on: setup.engine)
        let third = Self.create(3, on: setup.engine)
        try await Self.waitUntil { journal.tip.seq == before + 3 }
        #expect(journal.head.seq == before)
        let reader = Task { try await setup.engine.read { $0.users.count } }
        try await Task.sleep(for: .milliseconds(100))
        #expect(setup.engine.accessView.user(id: Self.userID(1)) == nil)
        setup.io.held.withLock { $0 = false }
        setup.io.release.signal()
        #expect(try await first.value == 1)
        let later = [try await second.value, try await third.value]
        #expect(Set(later) == [2, 3])
        #expect(try await reader.value == 3)
        #expect(journal.head.seq == before + 3)
        #expect((1...3).allSatisfy { setup.engine.accessView.user(id: Self.userID($0)) != nil })
        await setup.gateway.close()
    }

    @Test func aFailedWriteFailsEveryBatchQueuedBehindItAndTheEngineReloadsAndCarriesOn() async throws {
        let setup = try await Self.start(seed: 12)
        let journal = setup.engine.store.journal
        let before = journal.head.seq
        setup.io.held.withLock { $0 = true }
        let first = Self.create(1, on: setup.engine)
        try await Self.waitUntil { setup.io.waiting.value.load(ordering: .sequentiallyConsistent) == 1 }
        let behind = [Self.create(2, on: setup.engine), Self.create(3, on: setup.engine)]
        try await Self.waitUntil { journal.tip.seq == before + 3 }
        let reader = Task { try await setup.engine.read { $0.users.count } }
        setup.io.disk.inject(.init(.sync, pathContains: setup.acme.rawValue, errno: 5, times: 1))
        setup.io.held.withLock { $0 = false }
        setup.io.release.signal()
        for task in [first] + behind {
            let error = await #expect(throws: EngineError.self) { try await task.value }
            #expect(error?.code == .storageUnavailable)
        }
        // The read was queued behind the failed batches: it fails rather than show their users.
        await #expect(throws: EngineError.self) { try await reader.value }
        #expect(journal.failureCount == 1)
        #expect(journal.head.seq == before && journal.tip.seq == before)
        #expect(try await setup.engine.read { $0.users.count } == 0)
        #expect(setup.engine.accessView.user(id: Self.userID(1)) == nil)
        // The engine carries on from the durable state, and the disk agrees with it.
        #expect(try await Self.create(4, on: setup.engine).value == 1)
        #expect(journal.head.seq == before + 1)
        await setup.gateway.close()
        setup.io.disk.reboot()
        let restarted = try await Gateway.start(
            data: DataDirectory(root: "/data", io: setup.io.disk), masterKey: .generate(), clock: FixedClock(),
            logger: EngineHarness.quiet)
        let users = try await restarted.engine(setup.acme).read { $0.users.values.map(\.email) }
        #expect(users == ["u4@acme.co.ke"])
        await restarted.close()
    }

    @Test func snapshotsStillHappenWhenBatchesAreAlwaysInFlight() async throws {
        let harness = try await EngineHarness.start(snapshotEvery: 20)
        let acme = try await harness.makeOrganization("acme")
        let engine = try await harness.gateway.engine(acme)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { _ = try await Self.create(UInt8(index % 250), on: engine).value }
            }
            try await group.waitForAll()
        }
        try await Self.waitUntil { !engine.isSnapshotting }
        let snapshots = try harness.io.listDirectory(at: "/data/tenants/\(acme.rawValue)/snapshots")
        #expect(snapshots.contains { $0.hasSuffix(".snapshot") })
        let restarted = try await harness.restarted()
        #expect(try await restarted.gateway.engine(acme).read { $0.users.count } == 200)
    }
}
