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

    @Option(
        name: .customLong("passkey"),
        help: "Register an STK passkey, as SHORTCODE=PASSKEY (repeatable; 174379 has the public sandbox passkey)."
    )
    var passkeys: [String] = []

    @Option(
        name: .customLong("initiator"),
        help: "Accept an initiator, as NAME=PASSWORD (repeatable; testapi has the public sandbox password)."
    )
    var initiators: [String] = []

    @Option(
        name: .customLong("timestamp-window-seconds"), help: "Strict mode: reject STK timestamps this far from now.")
    var timestampWindowSeconds: Int64?

    @Flag(
        name: .customLong("unlock-subscribers"),
        help: "Accept a second STK push to a phone with one pending (Daraja refuses it with 500.001.1001; load tests).")
    var unlocksSubscribers = false

    @Option(name: .customLong("stk-pushes-per-second-max"), help: "Spike arrest (500.003.02) per consumer key.")
    var stkPushesPerSecondMax: Int?

    func validate() throws {
        for pair in passkeys + initiators where Self.split(pair) == nil {
            throw ValidationError("expected NAME=VALUE, got '\(pair)'")
        }
    }

    static func split(_ pair: String) -> (String, String)? {
        guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else { return nil }
        return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
    }

    func run() async throws {
        var settings = SandboxConfiguration(host: host, port: port, tokenLifetimeSeconds: tokenLifetimeSeconds)
        settings.apply(environment: ProcessInfo.processInfo.environment)
        if let callbackDelayMs { settings.callbackDelayMs = callbackDelayMs }
        settings.timestampWindowSeconds = timestampWindowSeconds
        settings.locksSubscribers = !unlocksSubscribers
        settings.stkPushesPerSecondMax = stkPushesPerSecondMax
        for (shortCode, passkey) in passkeys.compactMap(Self.split) { settings.passkeys[shortCode] = passkey }
        for (name, password) in initiators.compactMap(Self.split) { settings.initiatorPasswords[name] = password }
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
