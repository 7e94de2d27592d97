import ArgumentParser
import AsyncHTTPClient
import Foundation
import PesaCLI

#if canImport(Glibc)
import Glibc
#endif

/// `pesa-bench logins`: how long one organization's logins take while another organization's users flood the
/// gateway with logins, against the same logins with no flood, in the same run. See BENCHMARKS.md.
struct LoginsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logins",
        abstract: "One organization's login latency while another floods logins (loopback), vs no flood.",
        discussion: """
            Starts `pesa serve --demo` (the pesa binary beside this one, or --pesa) as a child process on \
            127.0.0.1 with a fresh data folder under --directory and bcrypt at --bcrypt-cost. Creates two \
            organizations: `flood`, with one user per flooding client, and `quiet`, with --quiet-users users. \
            Baseline: --samples logins into `quiet`, one after another, with nothing else running. Then \
            --clients clients log into `flood` in a loop (each as its own user, right password; after a 429 \
            a client pauses --pause-ms) while the same --samples logins into `quiet` are timed again. Prints \
            the median and p99 of both, and their ratio.
            """)

    @Option(help: "Scratch folder (a subfolder is created and removed).")
    var directory: String = "./.bench-scratch"

    @Option(help: "The pesa executable to start (default: the one beside pesa-bench).")
    var pesa: String?

    @Option(help: "Clients flooding the `flood` organization with logins (1...256).")
    var clients: Int = 32

    @Option(help: "Timed logins into the `quiet` organization, per phase (1...1000).")
    var samples: Int = 40

    @Option(help: "Users of the `quiet` organization the timed logins take turns with (1...100).")
    var quietUsers: Int = 8

    @Option(help: "bcrypt cost of the gateway (4...14); 12 is the default of `pesa serve`.")
    var bcryptCost: Int = 12

    @Option(help: "A flooding client's pause after a 429, in milliseconds (0...10000).")
    var pauseMs: Int = 20

    @Option(help: "The gateway's log level.")
    var logLevel: String = "error"

    func validate() throws {
        guard (1...256).contains(clients), (1...1_000).contains(samples), (1...100).contains(quietUsers),
            (4...14).contains(bcryptCost), (0...10_000).contains(pauseMs)
        else {
            throw ValidationError(
                "--clients 1...256, --samples 1...1000, --quiet-users 1...100, --bcrypt-cost 4...14, "
                    + "--pause-ms 0...10000")
        }
    }

    func run() async throws {
        let root = directory + "/logins-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let gateway = BenchGateway(root: root, executable: pesa ?? PesaExecutable.besideThisOne)
        let cleanup = BenchCleanup(gateway: gateway, root: root)
        cleanup.installSignalHandlers()
        defer { cleanup.run() }
        var pool = HTTPClient.Configuration()
        pool.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1_024
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: pool)
        do {
            try await gateway.start(callbackDelayMs: 1_000, logLevel: logLevel, http: http, bcryptCost: bcryptCost)
            try await measure(LoginLoad(gateway: gateway, http: http))
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    private func measure(_ load: LoginLoad) async throws {
        let loadBefore = BenchCPU.loadAverage()
        let admin = try await load.gateway.adminToken(http: load.http)
        let flooders = try await load.organization("flood", users: clients, admin: admin)
        let quiet = try await load.organization("quiet", users: quietUsers, admin: admin)
        print("bcrypt cost \(bcryptCost); \(clients) flooding clients; \(samples) timed logins per phase")
        let baseline = try await load.timedLogins(samples, users: quiet)
        print(baseline.line("baseline (no flood)"))
        let flood = LoginFlood(load: load, users: flooders, pauseMs: pauseMs)
        let (flooded, floodCounts) = try await flood.during {
            try await load.timedLogins(samples, users: quiet)
        }
        print(flooded.line("during the flood"))
        print(floodCounts.line)
        let ratios = String(
            format: "median %.2f, p99 %.2f", flooded.median / baseline.median, flooded.p99 / baseline.p99)
        print("ratio to baseline: \(ratios) (load average \(loadBefore) before, \(BenchCPU.loadAverage()) after)")
    }
}
