import ArgumentParser
import Logging

/// `pesa-bench sandbox`: loopback throughput of the built-in Daraja sandbox. See BENCHMARKS.md.
struct SandboxBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Benchmark the Daraja sandbox on loopback (STK pushes with callbacks vs a hello-world baseline)."
    )

    @Option(help: "STK pushes to send (at most 1,000,000).")
    var pushes: Int = 20_000

    @Option(help: "Concurrent connections (at most 1,024).")
    var concurrency: Int = 32

    @Option(name: .customLong("callback-delay-ms"), help: "Sandbox callback delay.")
    var callbackDelayMs: Int64 = 5

    @Option(name: .customLong("time-limit-seconds"), help: "Longest wait for callbacks.")
    var timeLimitSeconds: Int64 = 120

    @Option(
        name: .customLong("sandbox-url"), help: "Use a running sandbox (loopback only) instead of an in-process one.")
    var sandboxURL: String?

    func validate() throws {
        if let sandboxURL, !(sandboxURL.hasPrefix("http://127.0.0.1:") || sandboxURL.hasPrefix("http://localhost:")) {
            throw ValidationError("--sandbox-url must be a loopback http URL")
        }
        guard (1...1_000_000).contains(pushes), (1...1_024).contains(concurrency) else {
            throw ValidationError("pushes must be 1...1000000 and concurrency 1...1024")
        }
    }

    func run() async throws {
        var logger = Logger(label: "pesa-bench")
        logger.logLevel = .warning
        let report = try await SandboxBenchmark.run(
            pushCount: pushes, concurrency: concurrency, callbackDelayMs: callbackDelayMs,
            timeLimitSeconds: timeLimitSeconds, sandboxBaseURL: sandboxURL, logger: logger
        )
        print(report)
    }
}
