import ArgumentParser
import DarajaSandbox
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `pesa sandbox`: the built-in Daraja simulator, standalone. Stops gracefully on SIGTERM/SIGINT.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the built-in Daraja sandbox (a faithful Daraja simulator with callbacks)."
    )

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8089

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(
        name: .customLong("callback-delay-ms"),
        help: "Delay before callbacks are sent (default 1000, or PESA_SANDBOX_CALLBACK_DELAY_MS)."
    )
    var callbackDelayMs: Int64?

    @Option(name: .customLong("token-lifetime-seconds"), help: "Lifetime of issued access tokens.")
    var tokenLifetimeSeconds: Int64 = 3599

    func run() async throws {
        var settings = SandboxConfiguration(host: host, port: port, tokenLifetimeSeconds: tokenLifetimeSeconds)
        settings.apply(environment: ProcessInfo.processInfo.environment)
        if let callbackDelayMs { settings.callbackDelayMs = callbackDelayMs }
        let configuration = settings
        var sandboxLogger = Logger(label: "pesa.sandbox")
        sandboxLogger.logLevel = .info
        let logger = sandboxLogger
        let sandbox = try DarajaSandbox(configuration: configuration, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [sandbox], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                let bound = try await sandbox.boundPort()
                logger.info(
                    "Daraja sandbox listening",
                    metadata: [
                        "url": "http://\(configuration.host):\(bound)",
                        "callback_delay_ms": "\(configuration.callbackDelayMs)",
                        "certificate": "GET /sandbox/certificate.pem",
                    ]
                )
            }
            try await tasks.waitForAll()
        }
    }
}
