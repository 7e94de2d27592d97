import ArgumentParser
import Foundation
import Logging
import PesaCLI
import PesaCore
import PesaStore

#if canImport(Glibc)
import Glibc
#endif

struct StorageBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Durable appends/s of the store against the raw write+fdatasync limit, measured in one run.")

    @Option(help: "Scratch folder on the disk to measure (created and removed).")
    var directory: String = "./.bench-scratch"

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 3

    @Option(help: "Bytes per journal line in the raw baselines (about what a payment event takes).")
    var lineBytes: Int = 300

    func run() async throws {
        let root = directory + "/run-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        print("| measurement | ops/s | ratio |")
        print("|---|---:|---:|")
        let raw = try rawLimit(path: root + "/raw-1", linesPerSync: 1)
        print(row("raw write+fdatasync, 1 line per sync", raw, baseline: raw))
        let batched = try rawLimit(path: root + "/raw-64", linesPerSync: 64)
        print(row("raw write+fdatasync, 64 lines per sync", batched, baseline: raw))
        for writers in [1, 16, 64] {
            let rate = try await storeAppends(root: root + "/store-\(writers)", writers: writers)
            let versus = writers == 1 ? raw : batched
            print(
                row(
                    "store appends, \(writers) writer(s) (ratio vs raw \(writers == 1 ? "1" : "64") per sync)", rate,
                    baseline: versus))
        }
    }

    private func row(_ name: String, _ rate: Double, baseline: Double) -> String {
        "| \(name) | \(Int(rate)) | \(String(format: "%.2f", rate / baseline)) |"
    }

    private func rawLimit(path: String, linesPerSync: Int) throws -> Double {
        try RawSyncLimit.measure(path: path, linesPerSync: linesPerSync, lineBytes: lineBytes, seconds: seconds)
    }

    /// `writers` tasks appending one ~payment-sized event each, as fast as durability allows.
    private func storeAppends(root: String, writers: Int) async throws -> Double {
        let data = DataDirectory(root: root)
        try data.prepare()
        try data.createTenant(TenantManifest(id: "org_bench", slug: "bench", name: "Bench", createdAtMs: 0))
        let (store, _, _) = try TenantStore.open(
            directory: data.tenantDirectory("org_bench"), tenantID: "org_bench", as: ChainOnlyState.self,
            io: PosixFileIO(), logger: CLI.quietLogger)
        let payload = String(repeating: "p", count: max(10, lineBytes - 220))
        let event = NewEvent(
            type: "payment.settled", data: Array(#"{"id":"pay_bench","pad":"\#(payload)"}"#.utf8), atMs: 0)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(seconds)
        let start = clock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<writers {
                group.addTask {
                    var count = 0
                    while clock.now < deadline && count < 2_000_000 {
                        _ = try await store.append([event])
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = (clock.now - start).seconds
        await store.close()
        return Double(total) / elapsed
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
