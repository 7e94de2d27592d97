import Foundation
import PesaTesting
import Testing

/// `pesa-bench batches` at a tiny size, end to end: a real gateway child per pace, one batch posted and read
/// back until completed. Counts and the figures' presence only, never timings.
@Suite struct BatchesBenchTests {
    @Test func sendsOneBatchPerPaceAndReportsRatiosToThePace() async throws {
        let scratch = TemporaryDirectory("bench-batches")
        defer { scratch.remove() }
        let result = try await PesaBinary.run(
            [
                "batches", "--directory", scratch.path, "--rows", "12", "--paces", "40,80",
                "--callback-delay-ms", "20", "--poll-ms", "10",
            ],
            timeoutSeconds: 300, executable: PesaBinary.benchPath)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        for pace in [40, 80] {
            let line = #"(^|\n)BATCH pace=\#(pace) rows=12 succeeded=12 post_s=[0-9.]+ dispatched_s=[0-9.]+ "#
                + #"sent_s=[0-9.]+ completed_s=[0-9.]+ sent_ratio=[0-9.]+ completed_ratio=[0-9.]+ "#
                + #"ideal_completed_ratio=0\.[0-9]{3} peak_rss_mb=[1-9][0-9]* server_cpu_s=[0-9.]+ "#
                + #"journal_syncs=[1-9][0-9]* goal_met=(true|false)\n"#
            #expect(result.stdout.range(of: line, options: .regularExpression) != nil, "\(result.stdout)")
            let row = result.stdout.split(separator: "\n").first { $0.hasPrefix("| \(pace) | 12 | ") }
            #expect(row.map { $0.split(separator: "|").count == 13 } == true, "\(row ?? "no row at \(pace)/s")")
        }
        let left = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
        #expect(left.isEmpty, "the benchmark removes its data folders: \(left)")
    }

    @Test func refusesPacesOutsideTheGatewaysRange() async throws {
        let result = try await PesaBinary.run(["batches", "--paces", "0,2000"], executable: PesaBinary.benchPath)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--paces"), "\(result.stderr)")
    }
}
