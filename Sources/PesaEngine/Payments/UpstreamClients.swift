public import AsyncHTTPClient
import DarajaClient
public import Logging
import Synchronization

/// Where each organization's Daraja calls go, and one `DarajaClient` per organization (so its OAuth token
/// is cached and refreshed single-flight), rebuilt whenever the organization's credentials change.
public final class UpstreamClients: Sendable {
    /// Base URL of the Daraja that sandbox credentials talk to: the embedded sandbox (set once it listens)
    /// or another URL; nil means Safaricom's own sandbox.
    private let sandboxBaseURL = Mutex<String?>(nil)
    private let clients = Mutex<[String: (generation: Int, fingerprint: String, client: DarajaClient)]>([:])
    let httpClient: HTTPClient
    let logger: Logger

    public init(httpClient: HTTPClient, logger: Logger) {
        self.httpClient = httpClient
        self.logger = logger
    }

    public func setSandboxBaseURL(_ url: String?) {
        sandboxBaseURL.withLock { $0 = url }
        clients.withLock { $0.removeAll() }
    }

    public var currentSandboxBaseURL: String? { sandboxBaseURL.withLock { $0 } }

    func client(tenant: String, generation: Int, credentials: MpesaCredentials) -> DarajaClient {
        let environment: DarajaEnvironment
        if credentials.environment == "production" {
            environment = .production
        } else if let url = currentSandboxBaseURL {
            environment = .custom(baseURL: url)
        } else {
            environment = .sandbox
        }
        let fingerprint = "\(environment)|\(credentials.consumerKey)|\(credentials.version)"
        if let cached = clients.withLock({ $0[tenant] }), cached.generation == generation,
            cached.fingerprint == fingerprint
        {
            return cached.client
        }
        let configuration = DarajaClientConfiguration(
            environment: environment, consumerKey: credentials.consumerKey,
            consumerSecret: DarajaSecret(credentials.consumerSecret))
        var clientLogger = logger
        clientLogger[metadataKey: "tenant"] = "\(tenant)"
        let client = DarajaClient(configuration: configuration, httpClient: httpClient, logger: clientLogger)
        clients.withLock { $0[tenant] = (generation, fingerprint, client) }
        return client
    }
}
