import ArgumentParser

/// `pesa-bench`: the benchmarks and load generators of BENCHMARKS.md. A separate executable, so that the
/// `pesa` an operator runs carries none of them. Run a release build (`swift build -c release`).
@main
struct PesaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pesa-bench",
        abstract: "Pesa Gateway's benchmarks (run a release build). Figures go into BENCHMARKS.md.",
        subcommands: [
            StorageBenchCommand.self, OpenTenantBenchCommand.self, PaymentsBenchCommand.self, HelloBenchCommand.self,
            SandboxBenchCommand.self, LoginsBenchCommand.self, BillingBenchCommand.self, ReportsBenchCommand.self,
            BatchesBenchCommand.self, WebhooksBenchCommand.self, DashboardBenchCommand.self,
        ]
    )
}
