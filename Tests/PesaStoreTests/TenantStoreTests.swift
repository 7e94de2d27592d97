import PesaCore
import PesaTesting
import Testing

@testable import PesaStore

@Suite struct TenantStoreTests {
    @Test func appendedEventsSurviveAReopen() async throws {
        let io = SimulatedFileIO(seed: 1)
        let (store, state, report) = try openLedger("/data", io: io)
        #expect(state.count == 0)
        #expect(report.head.seq == 0)
        let positions = try await store.append([
            LedgerTestState.event(id: "a", n: 5), LedgerTestState.event(id: "b", n: 7),
        ])
        #expect(positions.map(\.seq) == [1, 2])
        #expect(store.journal.head == positions[1])
        await store.close()
        io.reboot()
        let (_, reopened, reopenReport) = try openLedger("/data", io: io)
        #expect(reopened.ids == ["a", "b"])
        #expect(reopened.total == 12)
        #expect(reopenReport.head == positions[1])
        #expect(try verifyLedger("/data", io: io).isClean)
    }

    @Test func concurrentAppendsShareFsyncsAndGetContiguousSequenceNumbers() async throws {
        let io = SimulatedFileIO(seed: 2)
        let (store, _, _) = try openLedger("/data", io: io)
        let ids = (0..<200).map { "e\($0)" }
        let acknowledged = await appendConcurrently(store, ids: ids)
        #expect(Set(acknowledged) == Set(ids))
        #expect(store.journal.head.seq == 200)
        io.reboot()
        let (_, state, _) = try openLedger("/data", io: io)
        #expect(Set(state.ids) == Set(ids))
        #expect(state.count == 200)
    }

    @Test func segmentsRollAtTheSizeLimitAndTheChainContinues() async throws {
        let io = SimulatedFileIO(seed: 3)
        let (store, _, _) = try openLedger("/data", io: io, segmentBytesMax: 1_000)
        for index in 0..<40 { _ = try await store.append([LedgerTestState.event(id: "r\(index)", n: 1)]) }
        let segments = try SegmentCatalog.list(tenantDirectory: "/data/tenants/org_test", io: io)
        #expect(segments.count > 5)
        io.reboot()
        let (_, state, _) = try openLedger("/data", io: io, segmentBytesMax: 1_000)
        #expect(state.count == 40)
        #expect(try verifyLedger("/data", io: io).isClean)
    }

    /// A segment rolls over per write batch: a batch that would take the segment past its limit starts the next
    /// segment whole, even when the segment still has room for some of its lines.
    @Test func aBatchIsNeverSplitAcrossSegments() async throws {
        let io = SimulatedFileIO(seed: 12)
        let (store, _, _) = try openLedger("/data", io: io, segmentBytesMax: 1_000)
        for index in 0..<3 { _ = try await store.append([LedgerTestState.event(id: "a\(index)", n: 1)]) }
        let first = "/data/tenants/org_test/journal/" + SegmentCatalog.fileName(firstSeq: 1, archived: false)
        let lineBytes = try io.readFile(at: first).count / 3
        #expect(3 * lineBytes + lineBytes <= 1_000 && 3 * lineBytes + 2 * lineBytes > 1_000)
        _ = try await store.append([LedgerTestState.event(id: "b0", n: 1), LedgerTestState.event(id: "b1", n: 1)])
        let segments = try SegmentCatalog.list(tenantDirectory: "/data/tenants/org_test", io: io)
        #expect(segments.map(\.firstSeq) == [1, 4])
        #expect(try io.readFile(at: segments[0].path).count == 3 * lineBytes)
        await store.close()
    }

    @Test func rejectsEventsTheJournalCannotHoldWithoutWritingAnything() async throws {
        let io = SimulatedFileIO(seed: 4)
        let (store, _, _) = try openLedger("/data", io: io)
        let bad: [NewEvent] = [
            NewEvent(type: "Bad Type", data: Array("{}".utf8), atMs: 0),
            NewEvent(type: "ok", data: Array("[1]".utf8), atMs: 0),
            NewEvent(type: "ok", data: Array("{\"a\":\n1}".utf8), atMs: 0),
            NewEvent(type: "ok", data: Array(#"{"b":1,"a":2}"#.utf8), atMs: 0),
            NewEvent(type: "ok", data: Array(#"{"a": 1}"#.utf8), atMs: 0),
            NewEvent(
                type: "ok",
                data: Array(("{\"a\":\"" + String(repeating: "x", count: Limits.journalLineBytesMax) + "\"}").utf8),
                atMs: 0),
        ]
        for event in bad {
            await #expect(throws: StoreError.self) { try await store.append([event]) }
        }
        #expect(store.journal.head.seq == 0)
    }

    @Test func aFullDiskFailsTheAppendLeavesNothingBehindAndRecovers() async throws {
        let io = SimulatedFileIO(seed: 5)
        let (store, _, _) = try openLedger("/data", io: io)
        _ = try await store.append([LedgerTestState.event(id: "before", n: 1)])
        io.inject(.init(.append, pathContains: "journal", errno: 28, partialBytes: 40, times: 1))
        let error = await #expect(throws: StoreError.self) {
            try await store.append([LedgerTestState.event(id: "lost", n: 1)])
        }
        #expect(error?.code == .io)
        #expect(error?.message.contains("disk is full") == true)
        #expect(store.journal.head.seq == 1)
        // The disk works again: the next append succeeds and gets seq 2, chained to seq 1.
        _ = try await store.append([LedgerTestState.event(id: "after", n: 1)])
        io.reboot()
        let (_, state, _) = try openLedger("/data", io: io)
        #expect(state.ids == ["before", "after"])
        #expect(try verifyLedger("/data", io: io).isClean)
    }

    /// A rollover whose new file cannot be made durable (the folder's fsync fails) leaves no file behind: the
    /// next, smaller batch goes to the old segment, and the journal opens clean, without a gap.
    @Test func aFailedRolloverLeavesNoStraySegment() async throws {
        let io = SimulatedFileIO(seed: 8)
        let (store, _, _) = try openLedger("/data", io: io, segmentBytesMax: 1_000)
        var acknowledged: [String] = []
        while try SegmentCatalog.list(tenantDirectory: "/data/tenants/org_test", io: io).count < 2 {
            let id = "a\(acknowledged.count)"
            _ = try await store.append([LedgerTestState.event(id: id, n: 1)])
            acknowledged.append(id)
        }
        let segmentsBefore = try SegmentCatalog.list(tenantDirectory: "/data/tenants/org_test", io: io)
        // A batch too big for what is left of the segment: it must roll, and the roll fails.
        io.inject(.init(.syncDirectory, pathContains: "journal", errno: 5, times: 1))
        let big = (0..<12).map { LedgerTestState.event(id: "big\($0)", n: 1) }
        await #expect(throws: StoreError.self) { try await store.append(big) }
        #expect(try SegmentCatalog.list(tenantDirectory: "/data/tenants/org_test", io: io) == segmentsBefore)
        // A small one fits the old segment.
        _ = try await store.append([LedgerTestState.event(id: "small", n: 1)])
        acknowledged.append("small")
        _ = try await store.append(big)
        acknowledged += (0..<12).map { "big\($0)" }
        await store.close()
        io.reboot()
        let (_, state, report) = try openLedger("/data", io: io, segmentBytesMax: 1_000)
        #expect(state.ids == acknowledged)
        #expect(report.head.seq == UInt64(acknowledged.count))
        #expect(try verifyLedger("/data", io: io).isClean)
    }

    @Test func anEIOOnSyncFailsEveryQueuedAppendAndTheTenantWorksAgainAfterwards() async throws {
        let io = SimulatedFileIO(seed: 6)
        let (store, _, _) = try openLedger("/data", io: io)
        io.inject(.init(.sync, pathContains: "journal", errno: 5, times: 3))
        io.inject(.init(.truncate, pathContains: "journal", errno: 5, times: 1))
        let acknowledged = await appendConcurrently(store, ids: (0..<20).map { "x\($0)" })
        #expect(acknowledged.count < 20)
        io.clearFaults()
        let more = await appendConcurrently(store, ids: (0..<20).map { "y\($0)" })
        io.reboot()
        let (_, state, _) = try openLedger("/data", io: io)
        #expect(Set(state.ids).isSuperset(of: acknowledged + more))
        #expect(state.count == UInt64(acknowledged.count + more.count))
        #expect(more.count == 20)
        #expect(try verifyLedger("/data", io: io).isClean)
    }

    @Test func aTornTailIsCutAndItsBytesKeptInQuarantine() async throws {
        let io = SimulatedFileIO(seed: 7)
        let (store, _, _) = try openLedger("/data", io: io)
        _ = try await store.append([LedgerTestState.event(id: "kept", n: 1)])
        let segment = "/data/tenants/org_test/journal/" + SegmentCatalog.fileName(firstSeq: 1, archived: false)
        let file = try io.openForAppend(at: segment, create: false)
        try file.append(Array(#"{"v":1,"seq":2,"at_ms":1,"type":"test.ev"#.utf8))
        try file.sync()
        io.reboot()
        let (_, state, report) = try openLedger("/data", io: io)
        #expect(state.ids == ["kept"])
        let quarantine = try #require(report.quarantinedTail)
        #expect(String(decoding: try io.readFile(at: quarantine), as: UTF8.self).hasPrefix(#"{"v":1,"seq":2"#))
        #expect(try verifyLedger("/data", io: io).isClean)
    }

    @Test func aFolderOfANewerFormatIsRefused() throws {
        let io = SimulatedFileIO(seed: 8)
        try io.createDirectory(at: "/data")
        try io.writeNewFile(at: "/data/pesa-data.json", contents: Array(#"{"format_version":99}"#.utf8))
        let error = #expect(throws: StoreError.self) { try DataDirectory(root: "/data", io: io).prepare() }
        #expect(error?.code == .newerFormat)
        #expect(error?.message.contains("upgrade pesa") == true)
    }

    @Test func tenantFoldersAreDiscoveredFromTheirManifests() throws {
        let io = SimulatedFileIO(seed: 9)
        let data = DataDirectory(root: "/data", io: io)
        try data.prepare()
        try data.createTenant(TenantManifest(id: "org_a", slug: "a", name: "A", createdAtMs: 1))
        try data.createTenant(TenantManifest(id: "org_b", slug: "b", name: "B", createdAtMs: 2))
        try io.createDirectory(at: "/data/tenants/org_broken")
        let found = try data.discoverTenants()
        #expect(found.count == 3)
        #expect(try found[0].manifest.get().slug == "a")
        #expect(try found[1].manifest.get().name == "B")
        #expect(throws: StoreError.self) { try found[2].manifest.get() }
        #expect(throws: StoreError.self) {
            try data.createTenant(TenantManifest(id: "../escape", slug: "x", name: "X", createdAtMs: 0))
        }
    }

    /// Two torn tails at the same offset (a second interrupted write after a restart) are both kept.
    @Test func quarantineKeepsEveryTornTailItCuts() async throws {
        let temp = TemporaryDirectory("torn-twice")
        defer { temp.remove() }
        let io = PosixFileIO()
        let (store, _, _) = try openLedger(temp.path, io: io)
        _ = try await store.append([LedgerTestState.event(id: "a", n: 1)])
        await store.close()
        let segment = try #require(
            try SegmentCatalog.list(tenantDirectory: temp.path + "/tenants/org_test", io: io).last)
        let quarantine = temp.path + "/tenants/org_test/quarantine"
        var kept: [[UInt8]] = []
        for garbage in ["{\"torn", "{\"other torn bytes", "{\"torn"] {
            let file = try io.openForAppend(at: segment.path, create: false)
            try file.append(Array(garbage.utf8))
            file.close()
            let (reopened, state, _) = try openLedger(temp.path, io: io)
            #expect(state.ids == ["a"])
            await reopened.close()
            kept = try io.listDirectory(at: quarantine).sorted().map { try io.readFile(at: quarantine + "/" + $0) }
        }
        // The second cut went beside the first, not over it. The third repeats the first byte for byte (as a
        // crash between keeping and cutting would): the file already holding those bytes stands for it.
        #expect(kept.count == 2)
        #expect(Set(kept.map { String(decoding: $0, as: UTF8.self) }) == ["{\"torn", "{\"other torn bytes"])
    }
}
