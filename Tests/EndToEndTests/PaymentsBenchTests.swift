import Foundation
import PesaTesting
import Testing

/// `pesa-bench payments` at a tiny size, end to end: a real gateway child, pushes over loopback, completions
/// read back. Counts only, never timings.
@Suite struct PaymentsBenchTests {
    @Test func countsOnlySucceededPaymentsAsCompletedAndCleansUp() throws {
        let scratch = TemporaryDirectory("bench-payments")
        defer { scratch.remove() }
        let result = try PesaBinary.run(
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
}
