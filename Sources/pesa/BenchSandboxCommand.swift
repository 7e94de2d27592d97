import ArgumentParser
import DarajaSandbox
import Logging

/// `pesa bench-sandbox` (hidden): loopback throughput of the built-in Daraja sandbox. See BENCHMARKS.md.
struct BenchSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-sandbox",
        abstract: "Benchmark the Daraja sandbox on loopback (STK pushes with callbacks vs a hello-world baseline).",
        shouldDisplay: false
    )

    @Option(help: "STK pushes to send (at most 1,000,000).")
    var pushes: Int = 20_000

    @Option(help: "Concurrent connections (at most 1,024).")
    var concurrency: Int = 32

    @Option(name: .customLong("callback-delay-ms"), help: "Sandbox callback delay.")
    var callbackDelayMs: Int64 = 5

    @Option(name: .customLong("time-limit-seconds"), help: "Longest wait for callbacks.")
    var timeLimitSeconds: Int64 = 120

    func validate() throws {
        guard (1...1_000_000).contains(pushes), (1...1_024).contains(concurrency) else {
            throw ValidationError("pushes must be 1...1000000 and concurrency 1...1024")
        }
    }

    func run() async throws {
        var logger = Logger(label: "pesa.bench")
        logger.logLevel = .warning
        let report = try await SandboxBenchmark.run(
            pushCount: pushes, concurrency: concurrency, callbackDelayMs: callbackDelayMs,
            timeLimitSeconds: timeLimitSeconds, logger: logger
        )
        print(report)
    }
}
