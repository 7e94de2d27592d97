import PesaCore
import PesaTesting
import Testing

@testable import PesaStore

/// `pesa verify` after an upgrade: a snapshot of an older state format was made by an older binary's rules, and
/// the server went on from it, so later snapshots are compared with a replay from that state.
@Suite struct VerifyOlderFormatTests {
    private let tenant = "/data/tenants/org_test"

    @Test func laterSnapshotsAreComparedWithAReplayFromAnOlderFormatsState() async throws {
        let io = SimulatedFileIO(seed: 5)
        let (store, _, _) = try openLedger("/data", io: io)
        for index in 0..<10 { _ = try await store.append([LedgerTestState.event(id: "a\(index)", n: 1)]) }
        let (replayed, olderHead) = try TenantStore.readState(directory: tenant, as: LedgerTestState.self, io: io)
        // The older binary's state at seq 10 differs from this binary's replay (its total was kept another way).
        var payload = replayed.snapshotPayload()
        payload[8] &+= 5
        let older = try LedgerTestState(snapshotPayload: payload, formatVersion: 0)
        #expect(older != replayed)
        _ = try SnapshotCatalog.write(
            tenantDirectory: tenant, position: olderHead, atMs: io.nowMs, stateFormat: 0, payload: payload, io: io)
        // This binary loaded it and went on, then wrote a snapshot of the current format.
        var continued = older
        for index in 0..<5 {
            let event = LedgerTestState.event(id: "b\(index)", n: 2)
            let position = try #require(try await store.append([event]).last)
            try continued.apply(eventType: event.type, data: event.data[...], seq: position.seq, atMs: event.atMs)
        }
        let head = store.journal.head
        try await store.writeSnapshot(continued, at: head, atMs: io.nowMs)

        let report = try verifyLedger("/data", io: io)
        #expect(report.isClean, "\(report.problems)")
        #expect(report.snapshotsChecked == 2)
        #expect(report.snapshotsCompared == 1)

        // A current-format snapshot that disagrees with that replay is still reported.
        var wrong = continued
        let extra = LedgerTestState.event(id: "c", n: 1)
        let position = try #require(try await store.append([extra]).last)
        try wrong.apply(eventType: extra.type, data: extra.data[...], seq: position.seq, atMs: extra.atMs)
        var wrongPayload = wrong.snapshotPayload()
        wrongPayload[8] &+= 1
        _ = try SnapshotCatalog.write(
            tenantDirectory: tenant, position: position, atMs: io.nowMs,
            stateFormat: LedgerTestState.snapshotFormatVersion, payload: wrongPayload, io: io)
        let flagged = try verifyLedger("/data", io: io)
        #expect(flagged.problems.contains { $0.message.contains("state disagrees") }, "\(flagged.problems)")
    }
}
