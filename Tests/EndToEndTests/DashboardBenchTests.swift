import Foundation
import PesaTesting
import Testing

/// `pesa-bench dashboard` at a tiny size, end to end: the fixture built, then reused, the pages timed through a
/// real `pesa serve`. The report's shape only, never timings.
@Suite struct DashboardBenchTests {
    @Test func timesTheOverviewAndTheListAgainstTheLoginPage() async throws {
        let scratch = TemporaryDirectory("bench-dashboard")
        defer { scratch.remove() }
        let arguments = [
            "dashboard", "--payments", "300", "--days", "3", "--samples", "3", "--directory", scratch.path,
            "--pesa", PesaBinary.path(of: "pesa"),
        ]
        let first = try await PesaBinary.run(arguments, timeoutSeconds: 300, executable: PesaBinary.benchPath)
        #expect(first.stdout.contains("building the fixture: 300 payments"), "\(first.stdout)\n\(first.stderr)")
        let second = try await PesaBinary.run(arguments, timeoutSeconds: 300, executable: PesaBinary.benchPath)
        #expect(second.stdout.contains("reusing the fixture in "), "\(second.stdout)\n\(second.stderr)")
        for result in [first, second] {
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("DASHBOARD ") }.map(String.init) ?? ""
            #expect(line.contains(" payments=300 samples=3 "), "\(result.stdout)")
            for key in ["login", "overview", "payments", "phone", "receipt"] {
                let figure = " \(key)_p50_ms=[0-9]+\\.[0-9]{2} \(key)_p99_ms=[0-9]+\\.[0-9]{2}"
                #expect(line.range(of: figure, options: .regularExpression) != nil, "\(line)")
            }
            #expect(line.range(of: #" overview_ratio=[0-9]+\.[0-9]{2} "#, options: .regularExpression) != nil)
            #expect(result.stdout.contains("| overview /ui/ | "), "\(result.stdout)")
        }
    }
}
