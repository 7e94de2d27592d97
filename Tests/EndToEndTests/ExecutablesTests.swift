import PesaTesting
import Testing

/// `pesa` carries only what an operator runs; the benchmarks are `pesa-bench`'s.
@Suite struct ExecutablesTests {
    @Test func pesaListsTheOperatorCommandsAndNoBenchmark() async throws {
        let help = try await PesaBinary.run(["--help"])
        #expect(help.status == 0, "\(help.stderr)")
        for command in ["serve", "admin", "sandbox", "verify", "compact", "keys"] {
            #expect(help.stdout.contains("  \(command)"), "\(help.stdout)")
        }
        #expect(!help.stdout.contains("bench"), "\(help.stdout)")
        let refused = try await PesaBinary.run(["bench", "storage"])
        #expect(refused.status != 0)
    }

    @Test func pesaBenchListsTheBenchmarks() async throws {
        let help = try await PesaBinary.run(["--help"], executable: PesaBinary.benchPath)
        #expect(help.status == 0, "\(help.stderr)")
        for command in ["storage", "open-tenant", "payments", "hello", "sandbox", "logins", "billing", "batches"] {
            #expect(help.stdout.contains("  \(command)"), "\(help.stdout)")
        }
    }
}
