import ArgumentParser
import Foundation
import PesaCLI
import PesaCore
import PesaStore

#if canImport(Glibc)
import Glibc
#endif

/// Time and peak memory to open a tenant holding N payments: a snapshot plus a tail of events.
struct OpenTenantBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open-tenant",
        abstract: "Time and peak memory to open a tenant of N payments (snapshot + tail), in a fresh process.",
        discussion: """
            Builds the fixture in --directory (once; reused when present), then opens it in a child process and
            reports the open time and the child's peak resident memory (VmHWM), next to two baselines measured in
            the same run: reading + gunzipping the snapshot file alone, and the child's resident memory before
            opening. The fixture's history before the snapshot is synthetic (built in memory, not journaled);
            the tail is real journal lines.
            """)

    @Option(help: "Fixture folder (a data folder).")
    var directory: String = "./.bench-scratch/open-tenant"

    @Option(help: "Payments in the snapshot.")
    var payments: Int = 1_000_000

    @Option(help: "Journal events after the snapshot.")
    var tail: Int = 10_000

    @Flag(help: .hidden)
    var child = false

    @Flag(help: "Also time the phases of an open (file read + gunzip + checksum, state decode).")
    var phases = false

    static let tenantID = "org_benchopen00000000000000000"

    func run() async throws {
        let tenantDirectory = directory + "/tenants/" + Self.tenantID
        if child {
            try openInThisProcess(tenantDirectory)
            return
        }
        if !DataDirectory(root: directory).hasTenant(Self.tenantID) {
            print("building the fixture: \(payments) payments + \(tail) tail events in \(directory)")
            try await OpenTenantFixture(payments: payments, tail: tail).build(root: directory, tenantID: Self.tenantID)
        }
        let floor = try snapshotReadFloor(tenantDirectory)
        let output = try runChild()
        print("| measurement | value | baseline (same run) | ratio |")
        print("|---|---:|---:|---:|")
        print(
            "| open \(payments) payments + \(tail) tail: time | \(output.ms) ms | read+gunzip snapshot: \(floor) ms | "
            + "\(String(format: "%.2f", Double(output.ms) / Double(max(floor, 1)))) |")
        print("| open: peak RSS (VmHWM) | \(output.peakMB) MB | process before open: \(output.baseMB) MB | "
            + "\(String(format: "%.2f", Double(output.peakMB) / Double(max(output.baseMB, 1)))) |")
        print("| loaded state | \(output.loaded) payments, head seq \(output.head) | | |")
    }

    private func openInThisProcess(_ tenantDirectory: String) throws {
        let base = Self.residentMB(field: "VmRSS")
        let clock = ContinuousClock()
        let start = clock.now
        let (store, state, report) = try TenantStore.open(
            directory: tenantDirectory, tenantID: Self.tenantID, as: TenantState.self, io: PosixFileIO(),
            logger: CLI.quietLogger)
        let ms = Int((clock.now - start).seconds * 1000)
        print("RESULT \(ms) \(Self.residentMB(field: "VmHWM")) \(base) \(state.payments.count) \(report.head.seq)")
        if phases { print("PHASE resident after open: \(Self.residentMB(field: "VmRSS")) MB") }
        _ = store
        if phases { try printPhases(tenantDirectory) }
    }

    private struct ChildOutput {
        var ms = 0, peakMB = 0, baseMB = 0, loaded = 0
        var head: UInt64 = 0
    }

    private func runChild() throws -> ChildOutput {
        let process = Process()
        process.executableURL = PesaExecutable.this
        process.arguments = ["open-tenant", "--directory", directory, "--child"] + (phases ? ["--phases"] : [])
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        for line in text.split(separator: "\n") where line.hasPrefix("PHASE ") { print(line) }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }) else {
            throw CLIError("the child process failed: \(text)")
        }
        let fields = line.split(separator: " ").dropFirst().map { String($0) }
        guard fields.count == 5 else { throw CLIError("unexpected child output: \(line)") }
        return ChildOutput(
            ms: Int(fields[0]) ?? 0, peakMB: Int(fields[1]) ?? 0, baseMB: Int(fields[2]) ?? 0,
            loaded: Int(fields[3]) ?? 0, head: UInt64(fields[4]) ?? 0)
    }

    /// Reading and decompressing the newest snapshot, nothing else: the floor of any open.
    private func snapshotReadFloor(_ tenantDirectory: String) throws -> Int {
        let clock = ContinuousClock()
        let start = clock.now
        guard let bytes = try SnapshotInspector.newestSnapshotBytes(tenantDirectory: tenantDirectory, io: PosixFileIO())
        else { throw CLIError("no snapshot in \(tenantDirectory)") }
        let payload = try SnapshotInspector.payload(of: bytes)
        let ms = Int((clock.now - start).seconds * 1000)
        _ = payload.count
        return ms
    }

    private func printPhases(_ tenantDirectory: String) throws {
        let clock = ContinuousClock()
        var mark = clock.now
        func lap(_ label: String) {
            print("PHASE \(label): \(Int((clock.now - mark).seconds * 1000)) ms")
            mark = clock.now
        }
        guard let bytes = try SnapshotInspector.newestSnapshotBytes(tenantDirectory: tenantDirectory, io: PosixFileIO())
        else { return }
        lap("read file")
        let (payload, stateFormat) = try SnapshotInspector.contents(of: bytes)
        lap("gunzip + sha256")
        // The fixture may be older than this binary: decode it in the format it was written in.
        let state = try TenantState(snapshotPayload: payload, formatVersion: stateFormat)
        lap("decode state")
        var table = state.payments
        table.rebuildDays()
        lap("of which: rebuild the day aggregates of reports (timed again)")
        _ = state.snapshotPayload()
        lap("encode state (for reference)")
    }

    static func residentMB(field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }
}
