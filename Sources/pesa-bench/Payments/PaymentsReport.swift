import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The figures of one `pesa-bench payments` run and their tables.
struct PaymentsReport {
    struct Phase {
        let name: String
        let outcome: PaymentLoad.Outcome
        let completions: Completions
        /// No payment was pending any more when the wait ended.
        let settled: Bool
        /// The gateway's journal fdatasyncs while the pushes were sent.
        let journalSyncs: JournalSyncs
        let serverCPUSeconds: Double
        let generatorCPUSeconds: Double
        /// Open loop: `GET /healthz` at the same rate just before, the same run's baseline for the latency.
        var baseline: PaymentLoad.Outcome?
        /// Open loop: its arrival rate per second.
        var openLoopRate: Double?

        /// A line the tests read: counts only.
        var resultLine: String {
            "RESULT [\(name)] sent=\(outcome.sent) "
                + "accepted=\(outcome.acceptedIDs.count) completed=\(completions.completed) "
                + "failed=\(outcome.failures.values.reduce(0, +)) settled=\(settled)"
        }

        var pushesPerSecond: Double { outcome.seconds > 0 ? Double(outcome.acceptedIDs.count) / outcome.seconds : 0 }

        /// The baseline's p50 / p99, and the push p99 as a multiple of the baseline's.
        var baselineSummary: String {
            guard let baseline, !baseline.latenciesMs.isEmpty else { return "- | -" }
            let failed = baseline.failures.isEmpty ? "" : " (failed: \(baseline.failureSummary))"
            let p99 = baseline.latencyMs(quantile: 0.99)
            let ratio = p99 > 0 ? String(format: "%.1f", outcome.latencyMs(quantile: 0.99) / p99) : "-"
            return String(format: "%.1f / %.1f", baseline.latencyMs(quantile: 0.5), p99) + failed + " | " + ratio
        }

        func cpuMsPerPayment(_ seconds: Double) -> String {
            completions.completed > 0 ? String(format: "%.2f", seconds * 1000 / Double(completions.completed)) : "-"
        }
    }

    let loadBefore: String
    var loadAfter = ""
    var rawOne = 0.0
    var rawBatched = 0.0
    /// A bare single-line fdatasync loop for as long as an open-loop phase: a disk stall there shows that
    /// the disk, not the gateway, can set a phase's p99 (every push waits for its intent to be durable).
    var syncTail = RawSyncLimit.SyncTail()
    var phases: [Phase] = []

    func print(callbackDelayMs: Int64) {
        let ratio = { (value: Double) in String(format: "%.2f", value / max(self.rawOne, 1)) }
        Swift.print("""

            Gateway: `pesa serve --demo` child process on 127.0.0.1, embedded Daraja sandbox (callback delay \
            \(callbackDelayMs) ms); load generator in this process. Load average before: \(loadBefore); \
            after: \(loadAfter).

            | measurement | per second | ratio to raw fdatasync (1 line per sync) |
            |---|---:|---:|
            | raw write+fdatasync, 1 line per sync (same disk) | \(Int(rawOne)) | 1.00 |
            | raw write+fdatasync, 64 lines per sync | \(Int(rawBatched)) | \(ratio(rawBatched)) |
            """)
        for phase in phases {
            Swift.print("| \(phase.name): completed payments | \(Int(phase.completions.perSecond)) | "
                + "\(ratio(phase.completions.perSecond)) |")
        }
        Swift.print("""

            | phase | sent | accepted | completed | not completed | pushes/s | completed/s | completed per second \
            (min / median / max) | push latency p50 / p99 / max (ms) | push p99 per second \
            (min / median / max, ms; second of the max) | baseline: GET /healthz at the same rate, p50 / p99 (ms) | \
            push p99 / baseline p99 | gateway journal fdatasyncs while pushing: count, mean; \
            \(JournalSyncs.stallBoundsLabel) | \
            server CPU ms per payment | load generator CPU ms per payment |
            |---|---:|---:|---:|---|---:|---:|---|---|---|---|---:|---|---:|---:|
            """)
        for phase in phases {
            let outcome = phase.outcome
            let latency = [0.5, 0.99, 1.0].map { String(format: "%.1f", outcome.latencyMs(quantile: $0)) }
            let notCompleted = "failed pushes: \(outcome.failureSummary); accepted, not succeeded: "
                + phase.completions.otherSummary + (phase.settled ? "" : " (still pending at the deadline)")
            let completed = phase.completions.completed
            Swift.print("| \(phase.name) | \(outcome.sent) | \(outcome.acceptedIDs.count) | \(completed) | "
                + "\(notCompleted) | \(Int(phase.pushesPerSecond)) | \(Int(phase.completions.perSecond)) | "
                + "\(phase.completions.bucketSummary) | \(latency.joined(separator: " / ")) | "
                + "\(outcome.perSecondP99Summary) | \(phase.baselineSummary) | \(phase.journalSyncs.summary) | "
                + "\(phase.cpuMsPerPayment(phase.serverCPUSeconds)) | "
                + "\(phase.cpuMsPerPayment(phase.generatorCPUSeconds)) |")
        }
        let stalls = phases.compactMap { phase in phase.outcome.slowestWindows().map { "- \(phase.name): \($0)" } }
        if !stalls.isEmpty {
            Swift.print(
                "\nSlowest 100 ms windows of the open-loop phases (the slowest push due in each), stamped in "
                    + "CLOCK_MONOTONIC seconds as `perf record -k CLOCK_MONOTONIC` stamps samples, then from the "
                    + "phase's start:\n" + stalls.joined(separator: "\n"))
        }
        Swift.print(
            "\nDisk sync tail in the same run (a bare 1-line write+fdatasync loop, as long as an open-loop "
                + "phase): \(syncTail.summary).")
    }
}

/// CPU time of a process and the machine's load, from /proc.
enum BenchCPU {
    /// User + system CPU seconds of `pid` so far (0 when unreadable).
    static func seconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // After "pid (comm)": state is field 3, utime field 14, stime field 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
