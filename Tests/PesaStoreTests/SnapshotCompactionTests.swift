import PesaCore
import PesaTesting
import Testing

@testable import PesaStore

@Suite struct SnapshotCompactionTests {
    private let tenant = "/data/tenants/org_test"

    /// 60 events in ~1 KB segments, a snapshot at 40.
    private func makeTenant(_ io: SimulatedFileIO) async throws -> TenantStore {
        let (store, _, _) = try openLedger("/data", io: io, segmentBytesMax: 1_000)
        for index in 0..<40 { _ = try await store.append([LedgerTestState.event(id: "a\(index)", n: 1)]) }
        let (state, head) = try TenantStore.readState(directory: tenant, as: LedgerTestState.self, io: io)
        try await store.writeSnapshot(state, at: head, atMs: io.nowMs)
        for index in 0..<20 { _ = try await store.append([LedgerTestState.event(id: "b\(index)", n: 2)]) }
        return store
    }

    @Test func startUpLoadsTheSnapshotAndReplaysOnlyTheTail() async throws {
        let io = SimulatedFileIO(seed: 11)
        _ = try await makeTenant(io)
        io.reboot()
        let (_, state, report) = try openLedger("/data", io: io, segmentBytesMax: 1_000)
        #expect(report.snapshotSeq == 40)
        #expect(report.replayedEvents == 20)
        #expect(state.count == 60)
        #expect(state.total == 80)
    }

    @Test func aDamagedSnapshotFallsBackToAFullReplay() async throws {
        let io = SimulatedFileIO(seed: 12)
        _ = try await makeTenant(io)
        let snapshot = tenant + "/snapshots/" + SnapshotFile.fileName(seq: 40)
        let size = try io.readFile(at: snapshot).count
        io.corrupt(path: snapshot, offset: size - 12, with: 0x00)
        io.reboot()
        let (_, state, report) = try openLedger("/data", io: io, segmentBytesMax: 1_000)
        #expect(report.snapshotSeq == nil)
        #expect(report.skippedSnapshots.count == 1)
        #expect(state.count == 60)
        // The unusable snapshot was set aside, not deleted.
        #expect(io.fileKind(at: tenant + "/quarantine/" + SnapshotFile.fileName(seq: 40) + ".unused") == .regular)
    }

    @Test func compactionArchivesCoveredSegmentsAndRemovesThemOnlyAfterTheGracePeriod() async throws {
        let io = SimulatedFileIO(seed: 13)
        let store = try await makeTenant(io)
        let before = try SegmentCatalog.list(tenantDirectory: tenant, io: io)
        let first = try await store.compact(nowMs: io.nowMs, graceMs: 60_000)
        #expect(first.snapshotSeq == 40)
        #expect(!first.archived.isEmpty)
        #expect(first.removed.isEmpty)
        // Within the grace period the live segments stay, so a copy in progress still finds them.
        let second = try await store.compact(nowMs: io.nowMs + 1_000, graceMs: 60_000)
        #expect(second.removed.isEmpty)
        io.advanceClock(byMs: 120_000)
        let third = try await store.compact(nowMs: io.nowMs, graceMs: 60_000)
        #expect(third.removed.count == first.archived.count)
        let after = try SegmentCatalog.list(tenantDirectory: tenant, io: io)
        #expect(after.map(\.firstSeq) == before.map(\.firstSeq))
        #expect(after.filter(\.isArchived).count == first.archived.count)
        // Start-up still works, and with the snapshot gone, a full replay reads the archives.
        _ = try await store.append([LedgerTestState.event(id: "c", n: 3)])
        io.reboot()
        let (_, state, _) = try openLedger("/data", io: io, segmentBytesMax: 1_000)
        #expect(state.count == 61)
        try io.removeFile(at: tenant + "/snapshots/" + SnapshotFile.fileName(seq: 40))
        let (_, replayed, report) = try openLedger("/data", io: io, segmentBytesMax: 1_000)
        #expect(report.snapshotSeq == nil)
        #expect(replayed == state)
        #expect(try verifyLedger("/data", io: io).isClean)
    }

    @Test func onlyTheNewestSnapshotsAreKept() async throws {
        let io = SimulatedFileIO(seed: 14)
        let (store, _, _) = try openLedger("/data", io: io)
        for round in 1...6 {
            _ = try await store.append([LedgerTestState.event(id: "r\(round)", n: 1)])
            let (state, head) = try TenantStore.readState(directory: tenant, as: LedgerTestState.self, io: io)
            try await store.writeSnapshot(state, at: head, atMs: 0)
        }
        let kept = try SnapshotCatalog.list(tenantDirectory: tenant, io: io).map(\.seq)
        #expect(kept == [4, 5, 6])
    }

    @Test func aSnapshotOfANewerStateFormatIsNotMisread() async throws {
        let io = SimulatedFileIO(seed: 15)
        let store = try await makeTenant(io)
        let (state, head) = try TenantStore.readState(directory: tenant, as: LedgerTestState.self, io: io)
        _ = try SnapshotCatalog.write(
            tenantDirectory: tenant, position: head, atMs: 0, stateFormat: 9, payload: state.snapshotPayload(), io: io)
        _ = store
        io.reboot()
        let (_, reopened, report) = try openLedger("/data", io: io, segmentBytesMax: 1_000)
        #expect(report.snapshotSeq == 40)
        #expect(report.skippedSnapshots.first?.contains("newer") == true)
        #expect(reopened == state)
    }
}
