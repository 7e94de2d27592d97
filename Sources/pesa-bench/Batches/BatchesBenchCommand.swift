import ArgumentParser
import AsyncHTTPClient
import Foundation
import PesaCLI

#if canImport(Glibc)
import Glibc
#endif

/// `pesa-bench batches`: how fast one payout batch goes out and completes against the configured pace
/// (`pesa serve --batch-rows-per-second`), through a real gateway with the embedded sandbox. See BENCHMARKS.md.
struct BatchesBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batches",
        abstract: "Payout batch rows sent and completed per second against the configured pace (loopback).",
        discussion: """
            For each --paces pace: starts `pesa serve --demo --batch-rows-per-second PACE` (the pesa binary \
            beside this one, or --pesa) as a child process on 127.0.0.1 with the embedded Daraja sandbox and a \
            fresh data folder under --directory, the demo organization's rate limit lifted; posts one batch of \
            --rows rows (distinct phones, KES 10 each) and reads the batch back every --poll-ms. Sent: from the \
            POST until no row is queued or awaiting Daraja's acknowledgement. Completed: until the batch is \
            completed, every row with its result. Both as rows per second and as a ratio to the pace; ideal: \
            the completed ratio of rows sent exactly at the pace, each completed one callback delay later. \
            Every row must end succeeded, or the benchmark fails.
            """)

    @Option(help: "Scratch folder (a subfolder is created and removed).")
    var directory: String = "./.bench-scratch"

    @Option(help: "The pesa executable to start (default: the one beside pesa-bench).")
    var pesa: String?

    @Option(help: "Paces to measure, rows per second, comma-separated (each 1...1000), each on a fresh gateway.")
    var paces: String = "50,100,200,500"

    @Option(help: "Rows of the batch (1...10000).")
    var rows: Int = 10_000

    @Option(help: "Delay of the embedded sandbox's callbacks.")
    var callbackDelayMs: Int64 = 1_000

    @Option(help: "Interval of the batch's read-backs, in milliseconds (5...1000).")
    var pollMs: Int = 50

    @Option(help: "The gateway's log level.")
    var logLevel: String = "warning"

    func validate() throws {
        guard (try? paceList()) != nil else { throw ValidationError("--paces: numbers 1...1000, comma-separated") }
        guard (1...10_000).contains(rows), (5...1_000).contains(pollMs), (0...60_000).contains(callbackDelayMs)
        else { throw ValidationError("--rows 1...10000, --poll-ms 5...1000, --callback-delay-ms 0...60000") }
    }

    func paceList() throws -> [Int] {
        let parts = paces.split(separator: ",")
        let list = parts.compactMap { Int($0) }
        guard !list.isEmpty, list.count == parts.count, list.allSatisfy({ (1...1_000).contains($0) }) else {
            throw CLIError("bad --paces")
        }
        return list
    }

    func run() async throws {
        let root = directory + "/batches-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let cleanup = BenchCleanup(root: root)
        cleanup.installSignalHandlers()
        defer { cleanup.run() }
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let loadBefore = BenchCPU.loadAverage()
        var runs: [BatchRun] = []
        do {
            for pace in try paceList() {
                let paceRoot = root + "/pace-\(pace)"
                try FileManager.default.createDirectory(atPath: paceRoot, withIntermediateDirectories: true)
                let gateway = BenchGateway(root: paceRoot, executable: pesa ?? PesaExecutable.besideThisOne)
                cleanup.track(gateway)
                try await gateway.start(
                    callbackDelayMs: callbackDelayMs, logLevel: logLevel, http: http,
                    arguments: ["--batch-rows-per-second", String(pace)])
                let run = try await BatchRun.measure(
                    gateway: gateway, http: http, pace: pace, rows: rows, callbackDelayMs: callbackDelayMs,
                    pollMs: pollMs)
                gateway.stop()
                try? FileManager.default.removeItem(atPath: paceRoot)
                print(run.resultLine)
                runs.append(run)
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        BatchRun.printTable(runs, callbackDelayMs: callbackDelayMs)
        print("\nLoad average \(loadBefore) before, \(BenchCPU.loadAverage()) after.")
    }
}
