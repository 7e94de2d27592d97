import AsyncHTTPClient
import DarajaClient
import DarajaSandbox
import DarajaWire
import Foundation
import Logging
import ServiceLifecycle

/// A running sandbox, a callback recorder and a client pointed at the sandbox, all on loopback.
struct SandboxHarness {
    let sandbox: DarajaSandbox
    let recorder: CallbackRecorder
    let httpClient: HTTPClient
    let baseURL: String
    let callbackBase: String

    static let passkey: DarajaSecret = DarajaSecret(SandboxConfiguration.publicSandboxPasskey)

    func client(consumerKey: String = "test-key", secret: String = "test-secret") -> DarajaClient {
        DarajaClient(
            configuration: DarajaClientConfiguration(
                environment: .custom(baseURL: baseURL), consumerKey: consumerKey, consumerSecret: DarajaSecret(secret),
                requestTimeoutMs: 10_000, retryBackoffBaseMs: 10, retryBackoffMaxMs: 50
            ),
            httpClient: httpClient
        )
    }

    func certificate() throws -> DarajaCertificate { try DarajaCertificate(pem: sandbox.certificatePEM) }

    func callbackURL(_ name: String) -> String { callbackBase + "/" + name }

    /// Runs `body` against a fresh sandbox (callback delay a few ms) and tears everything down.
    static func run(
        _ configuration: SandboxConfiguration = SandboxConfiguration(callbackDelayMs: 5),
        _ body: (SandboxHarness) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let sandbox = try DarajaSandbox(configuration: configuration, logger: logger)
        let recorder = CallbackRecorder(logger: logger)
        let services = ServiceGroup(configuration: .init(services: [sandbox, recorder], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
            var failure: (any Error)?
            do {
                let harness = SandboxHarness(
                    sandbox: sandbox, recorder: recorder, httpClient: httpClient,
                    baseURL: "http://127.0.0.1:\(try await sandbox.boundPort())",
                    callbackBase: try await recorder.baseURL()
                )
                try await body(harness)
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

extension CallbackRecorder.Delivery {
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }
}
