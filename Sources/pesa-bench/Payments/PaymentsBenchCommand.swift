import ArgumentParser
import AsyncHTTPClient
import Foundation
import PesaCLI

#if canImport(Glibc)
import Glibc
#endif

/// `pesa-bench payments`: completed payments per second through a real gateway with the embedded sandbox,
/// and the push API's latency at fixed arrival rates, next to the disk's raw fdatasync limit measured in the
/// same run. See BENCHMARKS.md.
struct PaymentsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments",
        abstract: "Completed STK payments/s and push latency through a real gateway (loopback), vs raw fdatasync.",
        discussion: """
            Starts `pesa serve --demo` (the pesa binary beside this one, or --pesa) as a child process on \
            127.0.0.1 with the embedded Daraja sandbox and a fresh data folder under --directory. Closed loop: \
            for each --clients count, that many workers push for --seconds. Open loop: pushes arrive at each \
            --rates rate ("half" is half the best \
            closed-loop rate) for --open-seconds; latency runs from each push's scheduled time. A payment counts \
            as completed when the gateway reads it back as succeeded (its callback journaled and fsynced). \
            Baselines in the same run: raw write+fdatasync rates, the disk's sync tail (a bare fdatasync loop \
            for --open-seconds), and GET /healthz at each open-loop rate.
            """)

    @Option(help: "Scratch folder on the disk to measure (a subfolder is created and removed).")
    var directory: String = "./.bench-scratch"

    @Option(help: "The pesa executable to start (default: the one beside pesa-bench).")
    var pesa: String?

    /// The completed rate rises with the clients while each fsync carries more commands (measured: about 2,000/s
    /// at 64, 2,300/s at 256); 256 is where it levels off on the 2-core machines of BENCHMARKS.md.
    @Option(help: "Closed-loop client counts, comma-separated (each 1...1024).")
    var clients: String = "16,64,256"

    @Option(help: "Seconds of each closed-loop step.")
    var seconds: Double = 10

    @Option(help: "Open-loop arrival rates per second, comma-separated; 'half' is half the best closed-loop rate.")
    var rates: String = "1000,half"

    @Option(help: "Seconds of each open-loop step.")
    var openSeconds: Double = 10

    @Option(help: "At most this many pushes per step (1...1,000,000).")
    var payments: Int = 100_000

    @Option(help: "Delay of the embedded sandbox's callbacks.")
    var callbackDelayMs: Int64 = 1_000

    @Option(help: "Longest wait, after a step, for its last callbacks.")
    var settleSeconds: Double = 120

    @Option(help: "Seconds of each raw fdatasync measurement.")
    var fsyncSeconds: Double = 3

    @Option(help: "The gateway's log level.")
    var logLevel: String = "warning"

    @Option(help: """
        Collecting short-code profiles of the organization to spread the pushes over, round-robin (1...16). Beyond \
        the demo's paybill the benchmark creates tills and paybills, each its own Daraja app, before measuring; \
        with more than one, every push names its profile in short_code.
        """)
    var profiles = 1

    @Option(help: """
        Compare in one run: the same workload with 1 profile and with this many (2...16), each on a fresh gateway \
        and data folder, in alternating order for --rounds rounds; every push names its profile. Prints both \
        completed rates and push p99s and their ratio.
        """)
    var compareProfiles: Int?

    @Flag(help: """
        Compare in one run: the same workload with rate limiting and API call metering on (the organization and \
        the load's API key limited to 1,000,000 requests a minute, which refuses none) and with both off, each on \
        a fresh gateway and data folder, in alternating order for --rounds rounds. Prints both completed rates \
        and push p99s and their ratio.
        """)
    var compareLimits = false

    @Option(help: "Rounds of --compare-profiles and --compare-limits (1...10).")
    var rounds = 2

    @Option(help: .hidden)
    var declineEvery = 0

    static let warmUpPushes = 200
    static let inFlightMax = 4_096

    func validate() throws {
        guard (1...1_000_000).contains(payments) else { throw ValidationError("--payments must be 1...1000000") }
        guard (try? clientCounts()) != nil else {
            throw ValidationError("--clients: numbers 1...1024, comma-separated")
        }
        guard seconds > 0, seconds <= 600, openSeconds > 0, openSeconds <= 600, settleSeconds > 0, settleSeconds <= 900,
            fsyncSeconds > 0, fsyncSeconds <= 60
        else { throw ValidationError("times must be positive: at most 600 s a step, 900 s to settle, 60 s of fsync") }
        let rateValid = { (text: Substring) in
            text == "half" || (Double(text).map { $0 > 0 && $0 <= 100_000 } ?? false)
        }
        guard rates.split(separator: ",").allSatisfy(rateValid) else {
            throw ValidationError("--rates: numbers up to 100000 or 'half', comma-separated")
        }
        guard (1...BenchProfiles.countMax).contains(profiles), (1...10).contains(rounds),
            compareProfiles.map({ (2...BenchProfiles.countMax).contains($0) }) ?? true
        else { throw ValidationError("--profiles: 1...16; --compare-profiles: 2...16; --rounds: 1...10") }
        guard !compareLimits || compareProfiles == nil else {
            throw ValidationError("--compare-limits and --compare-profiles are separate runs")
        }
    }

    func clientCounts() throws -> [Int] {
        let counts = clients.split(separator: ",").compactMap { Int($0) }
        guard !counts.isEmpty, counts.count == clients.split(separator: ",").count,
            counts.allSatisfy({ (1...1_024).contains($0) })
        else { throw CLIError("bad --clients") }
        return counts
    }

    func run() async throws {
        let root = directory + "/payments-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let cleanup = BenchCleanup(root: root)
        cleanup.installSignalHandlers()
        defer { cleanup.run() }
        var report = PaymentsReport(loadBefore: BenchCPU.loadAverage())
        report.rawOne = try RawSyncLimit.measure(
            path: root + "/raw-1", linesPerSync: 1, lineBytes: 300, seconds: fsyncSeconds)
        report.rawBatched = try RawSyncLimit.measure(
            path: root + "/raw-64", linesPerSync: 64, lineBytes: 300, seconds: fsyncSeconds)
        report.syncTail = try RawSyncLimit.syncTail(path: root + "/raw-tail", lineBytes: 300, seconds: openSeconds)
        var pool = HTTPClient.Configuration()
        pool.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1_024
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: pool)
        var comparison: ProfilesComparison?
        var limits: LimitsComparison?
        do {
            if compareLimits {
                limits = try await compareLimitArms(root: root, cleanup: cleanup, http: http, into: &report)
            } else if let compareProfiles {
                comparison = try await compare(
                    [1, compareProfiles], root: root, cleanup: cleanup, http: http, into: &report)
            } else {
                let gateway = BenchGateway(root: root, executable: executable)
                cleanup.track(gateway)
                let chosen = BenchProfiles(count: profiles)
                _ = try await arm(
                    chosen, named: profiles > 1, gateway: gateway, http: http, label: "", rates: nil, into: &report)
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        report.loadAfter = BenchCPU.loadAverage()
        report.print(callbackDelayMs: callbackDelayMs)
        comparison?.print()
        limits?.print()
    }

    var executable: String { pesa ?? PesaExecutable.besideThisOne }

    /// Starts `gateway` with `profiles` (created before measuring) and measures the workload on it; the
    /// open-loop rates it used. `named`: every push names its profile, round-robin.
    func arm(
        _ profiles: BenchProfiles, named: Bool, gateway: BenchGateway, http: HTTPClient, label: String,
        rates: [Double]?, meteringAndRateLimits: Bool = true, into report: inout PaymentsReport
    ) async throws -> [Double] {
        try await gateway.start(
            callbackDelayMs: callbackDelayMs, logLevel: logLevel, http: http, sandboxPasskeys: profiles.sandboxPasskeys,
            meteringAndRateLimits: meteringAndRateLimits)
        try await profiles.create(on: gateway, http: http)
        let shortCodes = named ? profiles.shortCodes : []
        return try await measure(
            gateway: gateway, http: http, shortCodes: shortCodes, label: label, rates: rates, into: &report)
    }

    /// The closed loops, then the open loops at `rates` (nil: --rates, 'half' of this gateway's best closed loop).
    private func measure(
        gateway: BenchGateway, http: HTTPClient, shortCodes: [String], label: String, rates fixed: [Double]?,
        into report: inout PaymentsReport
    ) async throws -> [Double] {
        let readback = PaymentReadback(gateway: gateway, http: http)
        let load = { (phase: String) in
            var load = PaymentLoad(http: http, baseURL: gateway.baseURL, apiKey: gateway.apiKey, phase: phase)
            load.declineEvery = declineEvery
            load.shortCodes = shortCodes
            return load
        }
        // Round-robin over the profiles too, so that each one's Daraja token is fetched before measuring.
        _ = await load("warmup").closedLoop(clients: 8, seconds: 30, countMax: min(Self.warmUpPushes, payments))
        _ = try await readback.waitUntilNonePending(seconds: settleSeconds)
        var best = 0.0
        for count in try clientCounts() {
            let closed = load("c\(count)")
            let phase = try await step("\(label)closed loop, \(count) clients", gateway: gateway, readback: readback) {
                await closed.closedLoop(clients: count, seconds: seconds, countMax: payments)
            }
            best = max(best, phase.completions.perSecond)
            report.phases.append(phase)
        }
        let chosen = fixed ?? openRates(best: best)
        for rate in chosen {
            let open = load("o\(Int(rate))")
            let count = min(Int(rate * openSeconds), payments)
            let baseline = await open.openLoop(
                ratePerSecond: rate, count: count, inFlightMax: Self.inFlightMax, target: .health)
            var phase = try await step("\(label)open loop, \(Int(rate))/s", gateway: gateway, readback: readback) {
                await open.openLoop(ratePerSecond: rate, count: count, inFlightMax: Self.inFlightMax)
            }
            phase.baseline = baseline
            phase.openLoopRate = rate
            report.phases.append(phase)
        }
        return chosen
    }

    /// --rates, 'half' as half of `best`, leaving out a rate within 10 % of one before it.
    private func openRates(best: Double) -> [Double] {
        var chosen: [Double] = []
        for text in rates.split(separator: ",") {
            let rate = text == "half" ? (best / 2).rounded() : Double(text) ?? 0
            guard rate >= 1, !chosen.contains(where: { abs($0 - rate) <= 0.1 * $0 }) else { continue }
            chosen.append(rate)
        }
        return chosen
    }

    /// Runs one phase, waits for its callbacks, reads back what was recorded, and measures the CPU it took.
    private func step(
        _ name: String, gateway: BenchGateway, readback: PaymentReadback, load: () async -> PaymentLoad.Outcome
    ) async throws -> PaymentsReport.Phase {
        let serverBefore = BenchCPU.seconds(pid: gateway.processID)
        let selfBefore = BenchCPU.seconds(pid: getpid())
        let syncsBefore = try await gateway.journalSyncs(http: readback.http)
        let outcome = await load()
        let syncs = try await gateway.journalSyncs(http: readback.http).since(syncsBefore)
        let settled = try await readback.waitUntilNonePending(seconds: settleSeconds)
        let serverCPU = BenchCPU.seconds(pid: gateway.processID) - serverBefore
        let selfCPU = BenchCPU.seconds(pid: getpid()) - selfBefore
        guard gateway.isRunning else { throw CLIError("pesa serve stopped during \(name):\n\(gateway.printed)") }
        let completions = Completions(ids: outcome.acceptedIDs, recorded: try await readback.all())
        let phase = PaymentsReport.Phase(
            name: name, outcome: outcome, completions: completions, settled: settled, journalSyncs: syncs,
            serverCPUSeconds: serverCPU, generatorCPUSeconds: selfCPU)
        Swift.print(phase.resultLine)
        return phase
    }
}

/// Stops the child gateway and removes the data folders, on the way out or on SIGINT/SIGTERM.
final class BenchCleanup: @unchecked Sendable {
    private var gateway: BenchGateway?
    private let root: String
    private let lock = NSLock()
    private var done = false
    private var sources: [any DispatchSourceSignal] = []

    init(gateway: BenchGateway? = nil, root: String) {
        self.gateway = gateway
        self.root = root
    }

    /// The gateway to stop from now on (a run that starts one after another).
    func track(_ gateway: BenchGateway) {
        lock.lock()
        defer { lock.unlock() }
        self.gateway = gateway
    }

    func run() {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        gateway?.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    func installSignalHandlers() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                run()
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
