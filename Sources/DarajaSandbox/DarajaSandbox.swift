public import Hummingbird
public import Logging
public import ServiceLifecycle
import DarajaWire
import HTTPTypes
import NIOCore
import Synchronization

/// A faithful Daraja simulator: Daraja's paths, validation, envelopes, scripted outcomes and asynchronous
/// callbacks. A `Service`: add it to a `ServiceGroup` (or call `run()`), then `await boundPort()`.
///
/// ```swift
/// let sandbox = try DarajaSandbox(configuration: .init(port: 0, callbackDelayMs: 5))
/// group.addTask { try await sandbox.run() }          // or a ServiceGroup
/// let port = try await sandbox.boundPort()
/// // point a DarajaClient at .custom(baseURL: "http://127.0.0.1:\(port)")
/// ```
public struct DarajaSandbox: Service {
    public let configuration: SandboxConfiguration
    let services: SandboxServices
    let port = BoundPort()

    public init(
        configuration: SandboxConfiguration = SandboxConfiguration(), logger: Logger = Logger(label: "daraja.sandbox")
    ) throws(SandboxError) {
        self.configuration = configuration
        let verifier = try CredentialVerifier(
            privateKeyPEM: configuration.privateKeyPEM ?? SandboxKeys.privateKeyPEM,
            initiatorPasswords: configuration.initiatorPasswords
        )
        services = SandboxServices(
            configuration: configuration, state: SandboxState(configuration: configuration),
            sender: CallbackSender(configuration: configuration, logger: logger), verifier: verifier,
            certificatePEM: configuration.certificatePEM ?? SandboxKeys.certificatePEM, logger: logger
        )
    }

    /// Serves until graceful shutdown (or cancellation); the callback sender runs alongside.
    public func run() async throws {
        defer { port.finish() }
        try await buildApplication().run()
    }

    /// The port the server is bound to, once it listens. Throws if the sandbox stopped first.
    public func boundPort() async throws(SandboxError) -> Int {
        guard let bound = await port.wait() else { throw .notRunning() }
        return bound
    }

    /// The certificate whose public key encrypts `SecurityCredential`s for this sandbox (PEM).
    public var certificatePEM: String { services.certificatePEM }

    /// Counters for tests and benchmarks.
    public var statistics: SandboxStatistics {
        let (tokens, pushes) = services.state.withLock { ($0.tokenRequestCount, $0.stkPushCount) }
        return SandboxStatistics(
            tokenRequestCount: tokens, stkPushCount: pushes,
            callbacksDelivered: services.sender.deliveredCount.load(ordering: .relaxed),
            callbacksFailed: services.sender.failedCount.load(ordering: .relaxed),
            callbacksDropped: services.sender.droppedCount.load(ordering: .relaxed)
        )
    }

    /// Registers (or replaces) the STK passkey of a shortcode.
    public func registerPasskey(_ passkey: String, forShortCode shortCode: String) {
        services.state.withLock { $0.passkeys[shortCode] = passkey }
    }

    /// Invalidates every issued token, as if they had expired (exercise a client's refresh path).
    public func revokeAccessTokens() {
        services.state.withLock { storage in
            storage.tokens = BoundedDictionary(countMax: storage.tokens.countMax)
        }
    }

    /// The Hummingbird application: the router plus the callback sender as a service.
    public func buildApplication() -> some ApplicationProtocol {
        let port = self.port
        return Application(
            router: buildRouter(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "daraja-sandbox"
            ),
            services: [services.sender],
            onServerRunning: { channel in
                if let bound = channel.localAddress?.port { port.set(bound) }
            },
            logger: services.logger
        )
    }

    /// The service that delivers callbacks. `run()` and `buildApplication()` include it; add it yourself
    /// only when serving `buildRouter()` from your own application.
    public var callbackService: any Service { services.sender }

    /// Every Daraja route, plus `GET /sandbox/certificate.pem`. Callbacks need `callbackService` running.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        OAuthController(services: services).addRoutes(to: router)
        STKController(services: services).addRoutes(to: router)
        C2BController(services: services).addRoutes(to: router)
        PaymentController(services: services).addRoutes(to: router)
        AccountController(services: services).addRoutes(to: router)
        let certificate = services.certificatePEM
        router.get("/sandbox/certificate.pem") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/x-pem-file"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: certificate)))
        }
        for endpoint in DarajaEndpoint.allCases where endpoint != .oauthToken {
            router.get(RouterPath(endpoint.path)) { _, _ -> Response in
                throw SandboxHTTPError(.methodNotAllowed, DarajaErrorCode.methodNotAllowed, "GET Method Not Allowed")
            }
        }
        return router
    }
}
