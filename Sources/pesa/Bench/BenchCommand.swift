import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (run a release build: swift build -c release). Figures go into BENCHMARKS.md.",
        subcommands: [
            StorageBenchCommand.self, OpenTenantBenchCommand.self, HelloBenchCommand.self, PaymentsBenchCommand.self,
        ])
}
