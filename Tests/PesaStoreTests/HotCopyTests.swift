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
