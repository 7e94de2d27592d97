import Foundation
import PesaCore
import PesaTesting
import Testing

@testable import PesaStore

/// Tampering with a real tenant folder on disk is detected by `verify` (file and line named) and fences
/// the tenant at start-up.
@Suite struct TamperTests {
    /// A folder with 30 events in segments of about 1 KB.
    private func makeTenant() async throws -> (TemporaryDirectory, String) {
        let temp = TemporaryDirectory("tamper")
        let (store, _, _) = try openLedger(temp.path, io: PosixFileIO(), segmentBytesMax: 1_000)
        for index in 0..<30 { _ = try await store.append([LedgerTestState.event(id: "t\(index)", n: Int64(index))]) }
        await store.close()
        let segment = temp.path + "/tenants/org_test/journal/" + SegmentCatalog.fileName(firstSeq: 1, archived: false)
        return (temp, segment)
    }

    private func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    private func write(_ lines: [String], to path: String) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
    }

    private func expectDetected(_ root: String, file: String, line: Int) throws {
        let report = try verifyLedger(root, io: PosixFileIO())
        #expect(!report.isClean)
        #expect(
            report.problems.contains { $0.file == file && $0.line == line },
            "expected a problem at \(file):\(line), got \(report.problems)")
        #expect(throws: StoreError.self) { try openLedger(root, io: PosixFileIO()) }
    }

    @Test func aCleanFolderVerifies() async throws {
        let (temp, _) = try await makeTenant()
        defer { temp.remove() }
        let report = try verifyLedger(temp.path, io: PosixFileIO())
        #expect(report.isClean, "\(report.problems)")
        #expect(report.head.seq == 30)
        #expect(report.lines == 30)
    }

    @Test func anEditedByteMidFileIsDetected() async throws {
        let (temp, segment) = try await makeTenant()
        defer { temp.remove() }
        var content = try lines(segment)
        content[1] = content[1].replacingOccurrences(of: #""n":1"#, with: #""n":9"#)
        try write(content, to: segment)
        try expectDetected(temp.path, file: segment, line: 2)
    }

    /// A line rewritten (its amount) with its own hash recomputed is valid by itself: only the link from the
    /// next line's `prev` shows it, so `verify` names that next line and start-up refuses the tenant.
    @Test func aRewrittenLineWithItsOwnHashRecomputedBreaksTheChainAtTheNextLine() async throws {
        let (temp, segment) = try await makeTenant()
        defer { temp.remove() }
        var content = try lines(segment)
        let k = 2
        #expect(content.count > k)
        let original = content[k - 1]
        let body = String(original.dropLast(75)).replacingOccurrences(of: #""n":1}"#, with: #""n":1000}"#)
        #expect(body != String(original.dropLast(75)))
        content[k - 1] = body + #","hash":""# + ChainHash.of(Array(body.utf8)).description + #""}"#
        guard case .success(let record) = JournalLine.parse(Array(content[k - 1].utf8)[...]) else {
            Issue.record("the rewritten line should be valid by itself")
            return
        }
        #expect(record.seq == UInt64(k))
        try write(content, to: segment)
        let report = try verifyLedger(temp.path, io: PosixFileIO())
        #expect(
            report.problems.map { [$0.file, "\($0.line)", "\($0.kind)"] } == [[segment, "\(k + 1)", "chainBroken"]],
            "\(report.problems)")
        let error = #expect(throws: StoreError.self) { try openLedger(temp.path, io: PosixFileIO()) }
        #expect(error?.code == .chainBroken)
    }

    /// A line whose `data` is the same JSON written another way (keys out of order) and whose hash was made to
    /// match is refused: by `verify` at that line, and at start-up, even as the journal's last line (it is not
    /// a torn write: its hash is right).
    @Test func aLineWhoseDataIsNotCanonicalIsRefusedThoughItsHashMatches() async throws {
        let (temp, _) = try await makeTenant()
        defer { temp.remove() }
        let segments = try SegmentCatalog.list(tenantDirectory: temp.path + "/tenants/org_test", io: PosixFileIO())
        let segment = try #require(segments.last).path
        var content = try lines(segment)
        let body = String(try #require(content.last).dropLast(75))
            .replacingOccurrences(of: #"{"id":"t29","n":29}"#, with: #"{"n":29,"id":"t29"}"#)
        #expect(body.contains(#"{"n":29,"id":"t29"}"#))
        content[content.count - 1] = body + #","hash":""# + ChainHash.of(Array(body.utf8)).description + #""}"#
        try write(content, to: segment)
        let report = try verifyLedger(temp.path, io: PosixFileIO())
        #expect(report.problems.count == 1, "\(report.problems)")
        #expect(report.problems.first?.file == segment)
        #expect(report.problems.first?.line == content.count)
        #expect(report.problems.first?.message.contains("not canonical") == true)
        let error = #expect(throws: StoreError.self) { try openLedger(temp.path, io: PosixFileIO()) }
        #expect(error?.code == .corruptRecord)
        #expect(try lines(segment) == content)
    }

    /// A snapshot covering lines the journal does not hold (the journal's end was lost, or a copy caught the
    /// journal before the snapshot) is a problem for `verify`, which cannot check it against the history;
    /// start-up sets it aside and replays what the journal holds.
    @Test func aSnapshotBeyondTheJournalsEndIsReportedAndSetAsideAtStartUp() async throws {
        let (temp, _) = try await makeTenant()
        defer { temp.remove() }
        let directory = temp.path + "/tenants/org_test"
        let io = PosixFileIO()
        let (state, head) = try TenantStore.readState(directory: directory, as: LedgerTestState.self, io: io, upTo: 30)
        _ = try SnapshotCatalog.write(
            tenantDirectory: directory, position: head, atMs: 0, stateFormat: 1, payload: state.snapshotPayload(),
            io: io)
        let segments = try SegmentCatalog.list(tenantDirectory: directory, io: io)
        let last = try #require(segments.last)
        try FileManager.default.removeItem(atPath: last.path)
        let report = try verifyLedger(temp.path, io: io)
        #expect(
            report.problems.contains { $0.kind == .snapshot && $0.message.contains("beyond the journal's end") },
            "\(report.problems)")
        let (_, opened, openReport) = try openLedger(temp.path, io: io)
        #expect(opened.count == last.firstSeq - 1)
        #expect(openReport.skippedSnapshots.count == 1)
    }

    @Test func aDeletedLineIsDetected() async throws {
        let (temp, segment) = try await makeTenant()
        defer { temp.remove() }
        var content = try lines(segment)
        content.remove(at: 1)
        try write(content, to: segment)
        try expectDetected(temp.path, file: segment, line: 2)
    }

    @Test func twoReorderedLinesAreDetected() async throws {
        let (temp, segment) = try await makeTenant()
        defer { temp.remove() }
        var content = try lines(segment)
        content.swapAt(1, 2)
        try write(content, to: segment)
        try expectDetected(temp.path, file: segment, line: 2)
    }

    @Test func aDeletedSegmentIsDetected() async throws {
        let (temp, _) = try await makeTenant()
        defer { temp.remove() }
        let segments = try SegmentCatalog.list(tenantDirectory: temp.path + "/tenants/org_test", io: PosixFileIO())
        #expect(segments.count >= 3)
        try FileManager.default.removeItem(atPath: segments[1].path)
        let report = try verifyLedger(temp.path, io: PosixFileIO())
        #expect(report.problems.contains { $0.file == segments[2].path && $0.kind == .sequenceGap })
        #expect(throws: StoreError.self) { try openLedger(temp.path, io: PosixFileIO()) }
    }

    @Test func aSnapshotThatDisagreesWithTheJournalIsReportedAndNotUsed() async throws {
        let (temp, _) = try await makeTenant()
        defer { temp.remove() }
        let directory = temp.path + "/tenants/org_test"
        let io = PosixFileIO()
        // A snapshot whose state does not match a replay up to its seq (someone edited the state).
        let (real, head) = try TenantStore.readState(directory: directory, as: LedgerTestState.self, io: io, upTo: 20)
        var forged = LedgerTestState()
        for index in 0..<20 {
            try forged.apply(
                eventType: "test.event", data: LedgerTestState.event(id: "x\(index)", n: 1).data[...],
                seq: UInt64(index + 1), atMs: 0)
        }
        #expect(forged != real)
        _ = try SnapshotCatalog.write(
            tenantDirectory: directory, position: head, atMs: 0, stateFormat: 1, payload: forged.snapshotPayload(),
            io: io)
        let report = try verifyLedger(temp.path, io: io)
        #expect(report.problems.contains { $0.kind == .snapshot && $0.message.contains("disagrees with a replay") })
        // A snapshot whose chain hash is wrong is not used at start-up: the tenant opens from the journal.
        _ = try SnapshotCatalog.write(
            tenantDirectory: directory, position: JournalPosition(seq: 25, hash: .genesis), atMs: 0, stateFormat: 1,
            payload: real.snapshotPayload(), io: io)
        let (_, state, openReport) = try openLedger(temp.path, io: io)
        #expect(state.count == 30)
        #expect(openReport.skippedSnapshots.count == 1)
        #expect(openReport.snapshotSeq == 20)
    }
}
