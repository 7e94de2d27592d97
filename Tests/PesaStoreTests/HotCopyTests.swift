import Foundation
import PesaCore
import PesaTesting
import Testing

@testable import PesaStore

/// `cp -r` of a tenant folder while several tasks append (and snapshots and compactions run) opens as
/// a consistent prefix of the original's history.
@Suite struct HotCopyTests {
    @Test func aFolderCopiedWhileTheServerWritesOpensToAPrefix() async throws {
        let temp = TemporaryDirectory("hotcopy")
        defer { temp.remove() }
        let io = PosixFileIO()
        let (store, _, _) = try openLedger(temp.path, io: io, segmentBytesMax: 4_000)
        let tenant = temp.path + "/tenants/org_test"
        let copies = (0..<6).map { temp.path + "/copy\($0)" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for index in 0..<150 {
                        _ = try await store.append([LedgerTestState.event(id: "w\(writer)-\(index)", n: 1)])
                    }
                }
            }
            group.addTask {
                for round in 0..<3 {
                    try await Task.sleep(for: .milliseconds(15))
                    let head = store.journal.head
                    let (state, position) = try TenantStore.readState(
                        directory: tenant, as: LedgerTestState.self, io: io, upTo: head.seq)
                    try await store.writeSnapshot(state, at: position, atMs: Int64(round))
                    _ = try await store.compact(nowMs: 0)
                }
            }
            group.addTask {
                for copy in copies {
                    try await Task.sleep(for: .milliseconds(10))
                    try Self.copyFolder(tenant, to: copy + "/tenants/org_test")
                }
            }
            try await group.waitForAll()
        }
        let originalHead = store.journal.head
        #expect(originalHead.seq == 600)
        var prefixes: [UInt64] = []
        for copy in copies {
            try DataDirectory(root: copy, io: io).prepare()
            let (_, state, report) = try openLedger(copy, io: io)
            #expect(state.count == report.head.seq)
            // The copy's history is the original's first `seq` lines: same chain hash at that point.
            let (_, originalAt) = try TenantStore.readState(
                directory: tenant, as: LedgerTestState.self, io: io, upTo: report.head.seq)
            #expect(originalAt == report.head, "copy \(copy) is not a prefix of the original")
            prefixes.append(report.head.seq)
        }
        #expect(prefixes.contains { $0 > 0 && $0 < 600 }, "no copy was taken mid-write: \(prefixes)")
    }

    /// A copy that caught the newest segment empty (it was copied first, just after a rollover) but a snapshot
    /// taken later, covering lines that segment now holds: the snapshot is newer than the copied journal and
    /// must be set aside, and the copy opens as the prefix its journal holds.
    @Test func aSnapshotNewerThanTheCopiedJournalIsSetAside() async throws {
        let temp = TemporaryDirectory("hotcopy-newer")
        defer { temp.remove() }
        let io = PosixFileIO()
        let (store, _, _) = try openLedger(temp.path, io: io, segmentBytesMax: 4_000)
        for index in 0..<120 { _ = try await store.append([LedgerTestState.event(id: "e\(index)", n: 1)]) }
        let tenant = temp.path + "/tenants/org_test"
        let (state, position) = try TenantStore.readState(
            directory: tenant, as: LedgerTestState.self, io: io, upTo: store.journal.head.seq)
        try await store.writeSnapshot(state, at: position, atMs: 1)
        let copy = temp.path + "/copy/tenants/org_test"
        try Self.copyFolder(tenant, to: copy)
        // The copy's newest segment as the copier found it: empty, or half a line.
        let segments = try SegmentCatalog.list(tenantDirectory: copy, io: io)
        let newest = try #require(segments.last)
        #expect(newest.firstSeq > 1 && newest.firstSeq <= position.seq)
        for cut in [0, 40] {
            let bytes = try #require(FileManager.default.contents(atPath: newest.path))
            try Data(bytes.prefix(cut)).write(to: URL(fileURLWithPath: newest.path))
            let (_, opened, report) = try openLedger(temp.path + "/copy", io: io)
            #expect(report.head.seq == newest.firstSeq - 1, "cut at \(cut)")
            #expect(opened.count == newest.firstSeq - 1)
            let (_, originalAt) = try TenantStore.readState(
                directory: tenant, as: LedgerTestState.self, io: io, upTo: report.head.seq)
            #expect(originalAt == report.head)
            let quarantined = (try? FileManager.default.contentsOfDirectory(atPath: copy + "/quarantine")) ?? []
            #expect(quarantined.contains { $0.hasSuffix(".unused") }, "\(quarantined)")
            try Self.copyFolder(tenant, to: temp.path + "/copy2/tenants/org_test")
            try FileManager.default.removeItem(atPath: temp.path + "/copy")
            try FileManager.default.moveItem(atPath: temp.path + "/copy2", toPath: temp.path + "/copy")
        }
    }

    static func copyFolder(_ source: String, to destination: String) throws {
        try FileManager.default.createDirectory(
            atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/cp")
        process.arguments = ["-r", source, destination]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }
}
