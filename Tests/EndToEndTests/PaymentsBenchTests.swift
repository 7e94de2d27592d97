import Foundation
import PesaTesting
import Testing

/// `pesa-bench payments` at a tiny size, end to end: a real gateway child, pushes over loopback, completions
/// read back. Counts only, never timings.
@Suite struct PaymentsBenchTests {
    @Test func countsOnlySucceededPaymentsAsCompletedAndCleansUp() async throws {
        let scratch = TemporaryDirectory("bench-payments")
        defer { scratch.remove() }
        let result = try await PesaBinary.run(
            [
                "payments", "--directory", scratch.path, "--payments", "50", "--clients", "4",
                "--seconds", "120", "--rates", "200", "--open-seconds", "1", "--callback-delay-ms", "20",
                "--fsync-seconds", "0.2", "--settle-seconds", "60", "--decline-every", "10",
            ],
            timeoutSeconds: 300, executable: PesaBinary.benchPath)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        // Every 10th push goes to the "insufficient funds" number: accepted, then failed, so not completed.
        let counts = "sent=50 accepted=50 completed=45 failed=0 settled=true"
        #expect(result.stdout.contains("RESULT [closed loop, 4 clients] \(counts)"), "\(result.stdout)")
        #expect(result.stdout.contains("RESULT [open loop, 200/s] \(counts)"), "\(result.stdout)")
        #expect(result.stdout.contains("accepted, not succeeded: failed: 5"))
        // The open loop's row carries its same-run baseline (GET /healthz at the same rate), all answered.
        let openRow = result.stdout.split(separator: "\n").first { $0.hasPrefix("| open loop, 200/s |") }
        let cells = openRow.map { $0.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast() }
        #expect(cells?.count == 15, "\(openRow ?? "no open-loop row")")
        // The gateway's own journal fdatasyncs while it pushed, from its /metrics histogram.
        let syncs = cells.map { Array($0)[12].trimmingCharacters(in: .whitespaces) } ?? ""
        #expect(
            syncs.range(of: #"^[1-9][0-9]*, mean [0-9.]+ ms; over 25 / 100 / 250 ms: \d+ / \d+ / \d+$"#,
                options: .regularExpression) != nil, "\(syncs)")
        #expect(openRow.map { !$0.contains("(failed:") && !$0.contains("| - | - |") } == true)
        // The open loop's slowest 100 ms windows, stamped so that a profile of the same run can be matched.
        #expect(
            result.stdout.range(
                of: #"\n- open loop, 200/s: \d+\.\d \(s0\.\d\): \d+\.\d ms"#, options: .regularExpression) != nil,
            "\(result.stdout)")
        // The disk's own sync tail, measured in the same run.
        #expect(result.stdout.contains("Disk sync tail in the same run"), "\(result.stdout)")
        #expect(!result.stdout.contains("phase): 0 syncs"), "\(result.stdout)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
        #expect(left.isEmpty, "the benchmark removes its data folder: \(left)")
    }

    /// `--compare-profiles 3`: one run measures the workload with the demo's paybill alone and spread over three
    /// profiles (two created through the API, each its own Daraja app), each on a fresh gateway, and reports
    /// the completed rate and the push p99 of both and their ratio. Counts and the figures' presence only.
    @Test func comparesOneProfileWithThreeInOneRun() async throws {
        let scratch = TemporaryDirectory("bench-payments-profiles")
        defer { scratch.remove() }
        let result = try await PesaBinary.run(
            [
                "payments", "--directory", scratch.path, "--payments", "30", "--clients", "4",
                "--seconds", "120", "--rates", "100", "--open-seconds", "0.3", "--callback-delay-ms", "20",
                "--fsync-seconds", "0.2", "--settle-seconds", "60", "--compare-profiles", "3", "--rounds", "1",
            ],
            timeoutSeconds: 300, executable: PesaBinary.benchPath)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let counts = "sent=30 accepted=30 completed=30 failed=0 settled=true"
        for arm in ["1 profile", "3 profiles"] {
            for phase in ["closed loop, 4 clients", "open loop, 100/s"] {
                #expect(result.stdout.contains("RESULT [\(arm), round 1: \(phase)] \(counts)"), "\(result.stdout)")
            }
        }
        // Round-robin: the three-profile arm's payments completed on each short code alike.
        #expect(result.stdout.contains(" | 0 | 174379: 60 |"), "\(result.stdout)")
        #expect(result.stdout.contains(" | 0 | 174379: 20, 600111: 20, 600112: 20 |"), "\(result.stdout)")
        // Both figures of each arm, and their ratios.
        for figure in ["| completed payments/s (best closed loop", "| push p99 at 100/s (ms"] {
            let row = result.stdout.split(separator: "\n").first { $0.hasPrefix(figure) }
            let figures = #"\| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| (yes|no) \|$"#
            #expect(row?.range(of: figures, options: .regularExpression) != nil, "\(row ?? "no row \(figure)")")
        }
        #expect(
            result.stdout.range(
                of: #"\nCOMPARE profiles=3 completed_ratio=[0-9]+\.[0-9]{3} p99_ratio=[0-9]+\.[0-9]{3}\n"#,
                options: .regularExpression) != nil, "\(result.stdout)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
        #expect(left.isEmpty, "the benchmark removes its data folders: \(left)")
    }
}
