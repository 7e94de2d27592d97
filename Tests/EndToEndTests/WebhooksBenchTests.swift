import Foundation
import PesaTesting
import Testing

/// `pesa-bench webhooks` at a tiny size, end to end: real gateway children, payments over loopback, webhooks to
/// receivers in the benchmark's process (one answering at once, one never answering). Counts and the figures'
/// presence only, never timings.
@Suite struct WebhooksBenchTests {
    @Test func deliversEverySucceededPaymentOnceAndComparesANeverAnsweringEndpointWithNone() async throws {
        let scratch = TemporaryDirectory("bench-webhooks")
        defer { scratch.remove() }
        let result = try await PesaBinary.run(
            [
                "webhooks", "--directory", scratch.path, "--payments", "30", "--clients", "4", "--seconds", "120",
                "--callback-delay-ms", "20", "--settle-seconds", "60", "--rounds", "1",
            ],
            timeoutSeconds: 300, executable: PesaBinary.benchPath)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let counts = "sent=30 accepted=30 completed=30 failed=0 settled=true"
        for arm in ["fast endpoint", "round 1, none", "round 1, timeout"] {
            #expect(result.stdout.contains("RESULT [\(arm)] \(counts)"), "\(result.stdout)")
        }
        // The warm-up's payments count too: 30 + 30 succeeded, each payment.succeeded under one webhook-id.
        let line = #"\nWEBHOOKS deliveries=[1-9][0-9]* in_window=\d+ window_s=[0-9.]+ deliveries_per_s=[0-9.]+ "#
            + #"settled_per_s=[0-9.]+ all_per_s=[0-9.]+ lag_p50_ms=[0-9.]+ lag_p99_ms=[0-9.]+ lag_max_ms=[0-9.]+ "#
            + #"succeeded=60 delivered_once=60 missing=0 duplicated=0 stray=0 redelivered=0 unreadable=0 "#
            + #"goal_met=(true|false)\n"#
        #expect(result.stdout.range(of: line, options: .regularExpression) != nil, "\(result.stdout)")
        #expect(result.stdout.contains("| all deliveries drained | yes |"), "\(result.stdout)")
        // The never-answering endpoint held connections; the ratio to the baseline is reported.
        let held = result.stdout.split(separator: "\n").first { $0.hasPrefix("| round 1, timeout |") }
        #expect(held?.range(of: #"\| [1-9][0-9]*, [1-9][0-9]* \|$"#, options: .regularExpression) != nil)
        #expect(
            result.stdout.range(of: #"\nTIMEOUT rounds=1 ratio=[0-9]+\.[0-9]{3} goal_met=(true|false)\n"#,
                options: .regularExpression) != nil, "\(result.stdout)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
        #expect(left.isEmpty, "the benchmark removes its data folders: \(left)")
    }
}
