import Foundation
import PesaTesting
import Testing

/// `pesa-bench billing` at a tiny size, end to end: the fixture built, then reused, the month billed twice in a
/// child process. Counts and the report's shape only, never timings.
@Suite struct BillingBenchTests {
    @Test func billsEveryOrganizationOnceAndReusesTheFixture() async throws {
        let scratch = TemporaryDirectory("bench-billing")
        defer { scratch.remove() }
        let arguments = ["billing", "--orgs", "3", "--payments", "40", "--data", scratch.path]
        let first = try await PesaBinary.run(arguments, timeoutSeconds: 300, executable: PesaBinary.benchPath)
        #expect(first.stdout.contains("building the fixture in "), "\(first.stdout)")
        let second = try await PesaBinary.run(arguments, timeoutSeconds: 300, executable: PesaBinary.benchPath)
        #expect(second.stdout.contains("reusing the fixture in "), "\(second.stdout)")
        for result in [first, second] {
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            // Every payment of the fixture counted; three invoices made, then left alone by the second run,
            // which writes nothing to the tenants' journals.
            let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("BILLING ") }.map(String.init) ?? ""
            let figures = [
                "organizations=3", "payments=40", "payments_total=120", "finalized=3", "unchanged=3",
                "rerun_tenant_bytes=0",
            ]
            for figure in figures {
                #expect(line.contains(" \(figure)"), "\(result.stdout)")
            }
            #expect(line.range(of: #" tenant_bytes=[1-9][0-9]* "#, options: .regularExpression) != nil, "\(line)")
            for ratio in ["run_ratio", "run_sync_ratio"] {
                let figure = " \(ratio)=[0-9]+\\.[0-9]{2} "
                #expect(line.range(of: figure, options: .regularExpression) != nil, "\(line)")
            }
            #expect(result.stdout.contains("| billing run, finalized (3 invoices) | "), "\(result.stdout)")
        }
        // The fixture stays for the next run; the copy each run billed is gone.
        let left = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
        #expect(left == ["fixture-3x40"], "\(left)")
    }
}
