import PesaCore
import PesaTesting
import Testing

@testable import PesaStore

/// Random event streams on a simulated disk, cut by power failures at random operations (torn writes,
/// lost un-synced bytes and names), with snapshots and compactions mixed in. After every reboot: every
/// acknowledged event is present, the state equals a full replay, and `verify` finds the chain intact.
@Suite struct TortureTests {
    /// Seeds 0 to 299, or only `PESA_TEST_SEED`; a failure names its seed.
    @Test(arguments: TestSeed.list(0..<300))
    func recoversEveryAcknowledgedEventAfterCrashes(seed: UInt64) async throws {
        var rng = SeededRandom(seed: seed)
        let io = SimulatedFileIO(seed: seed)
        var acknowledged: Set<String> = []
        var nextID = 0
        for round in 0..<4 {
            let (store, state, _) = try openLedger("/data", io: io, segmentBytesMax: 600 + Int(rng.next() % 2_000))
            try check(state, contains: acknowledged, io: io, seed: seed, round: round)
            io.crash(afterOperations: 5 + Int(rng.next() % 60))
            while !io.hasCrashed {
                let ids = (0..<(1 + Int(rng.next() % 6))).map { _ in
                    nextID += 1
                    return "s\(seed)-\(nextID)"
                }
                acknowledged.formUnion(await appendConcurrently(store, ids: ids))
                if rng.next() % 5 == 0 {
                    try? await snapshotAndCompact(store, io: io)
                }
            }
            io.reboot()
        }
        let (_, final, _) = try openLedger("/data", io: io)
        try check(final, contains: acknowledged, io: io, seed: seed, round: 4)
        let report = try verifyLedger("/data", io: io)
        #expect(report.isClean, "seed \(seed): \(report.problems)")
    }

    private func check(
        _ state: LedgerTestState, contains acknowledged: Set<String>, io: SimulatedFileIO, seed: UInt64, round: Int
    ) throws {
        let present = Set(state.ids)
        let missing = acknowledged.subtracting(present)
        #expect(missing.isEmpty, "seed \(seed), round \(round): acknowledged events lost: \(missing.sorted())")
        #expect(present.count == state.ids.count, "seed \(seed): an event was applied twice")
        // The state as loaded (snapshot + tail) equals a full replay of every line from the first.
        var replayed = LedgerTestState()
        let segments = try SegmentCatalog.list(tenantDirectory: "/data/tenants/org_test", io: io)
        _ = try JournalScanner(io: io, segments: segments, stopAtFirstProblem: true).scan(from: .genesis) {
            (record) throws(StoreError) in
            do {
                try replayed.apply(eventType: record.type, data: record.data, seq: record.seq, atMs: record.atMs)
            } catch {
                throw StoreError(.corruptRecord, "\(error)")
            }
        }
        #expect(replayed == state, "seed \(seed), round \(round): snapshot + tail differs from a full replay")
    }

    /// Writes a snapshot of the state as reopened from disk (the engine's job in production), then compacts.
    private func snapshotAndCompact(_ store: TenantStore, io: SimulatedFileIO) async throws {
        let durable = store.journal.head
        let (state, head) = try TenantStore.readState(
            directory: store.directory, as: LedgerTestState.self, io: io, upTo: durable.seq)
        #expect(head == durable)
        try await store.writeSnapshot(state, at: head, atMs: io.nowMs)
        io.advanceClock(byMs: 1_000)
        _ = try await store.compact(nowMs: io.nowMs, graceMs: 0)
    }
}
