public import AsyncHTTPClient
public import DarajaSandbox
public import Logging
import ServiceLifecycle

/// A running Daraja sandbox and a callback recorder on loopback, with an HTTP client, torn down after the
/// body: the common ground of every test that talks to the sandbox.
public struct SandboxServices: Sendable {
    public let sandbox: DarajaSandbox
    public let recorder: CallbackRecorder
    public let httpClient: HTTPClient
    /// `http://127.0.0.1:<sandbox port>`.
    public let baseURL: String
    /// The recorder's base URL (callbacks sent below it are recorded).
    public let callbackBase: String

    /// The tests' sandbox: callbacks 5 ms after each push, and Daraja's lock of a phone while its push is pending
    /// off: tests push to the same test numbers one after another, and whether a push still pends by then is a
    /// matter of timing (the lock has tests of its own).
    public static var testing: SandboxConfiguration {
        var configuration = SandboxConfiguration(callbackDelayMs: 5)
        configuration.locksSubscribers = false
        return configuration
    }

    /// Runs `body` against a fresh sandbox (by default `testing`) and tears everything down.
    public static func run(
        _ configuration: SandboxConfiguration = SandboxServices.testing,
        logLevel: Logger.Level = .warning, _ body: (SandboxServices) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = logLevel
        let sandbox = try DarajaSandbox(configuration: configuration, logger: logger)
        let recorder = CallbackRecorder(logger: logger)
        let services = ServiceGroup(configuration: .init(services: [sandbox, recorder], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
            var failure: (any Error)?
            do {
                try await body(SandboxServices(
                    sandbox: sandbox, recorder: recorder, httpClient: httpClient,
                    baseURL: "http://127.0.0.1:\(try await sandbox.boundPort())",
                    callbackBase: try await recorder.baseURL()))
            } catch {
                failure = error
            }
            try await httpClient.shutdown()
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            if let failure { throw failure }
        }
    }
}
