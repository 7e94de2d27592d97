import PesaTesting
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
        try await SandboxServices.run(configuration) { services in
            try await body(SandboxHarness(
                sandbox: services.sandbox, recorder: services.recorder, httpClient: services.httpClient,
                baseURL: services.baseURL, callbackBase: services.callbackBase))
        }
    }
}

extension CallbackRecorder.Delivery {
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }
}
