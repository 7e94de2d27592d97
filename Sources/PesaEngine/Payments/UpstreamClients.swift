public import AsyncHTTPClient
import DarajaClient
import PesaCore
public import Logging
import Synchronization

/// Where each organization's Daraja calls go, and one `DarajaClient` per short-code profile (so its OAuth
/// token is cached and refreshed single-flight, and a wrong key in one profile never touches another's
/// token), rebuilt whenever the profile's secrets change.
public final class UpstreamClients: Sendable {
    /// Base URL of the Daraja that sandbox credentials talk to: the embedded sandbox (set once it listens)
    /// or another URL; nil means Safaricom's own sandbox.
    private let sandboxBaseURL = Mutex<String?>(nil)
    private let clients = Mutex<[String: (fingerprint: String, client: DarajaClient)]>([:])
    /// The certificate each environment's `SecurityCredential` is encrypted with ("sandbox", "production").
    private let certificates = Mutex<[String: DarajaCertificate]>([:])
    /// Encrypted initiator passwords, by tenant and profile, for the profile version and certificate they were
    /// made for.
    private let securityCredentials = Mutex<[String: (fingerprint: String, value: String)]>([:])
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

    /// Sets the certificate (PEM) whose public key encrypts initiator passwords for `environment`
    /// (`sandbox` or `production`): the embedded sandbox's own, or Safaricom's from a file.
    public func setCertificate(pem: String, for environment: String) throws(EngineError) {
        let certificate: DarajaCertificate
        do {
            certificate = try DarajaCertificate(pem: pem)
        } catch {
            throw EngineError(.invalidField, "the Daraja \(environment) certificate cannot be read: \(error.message)")
        }
        certificates.withLock { $0[environment] = certificate }
        securityCredentials.withLock { $0.removeAll() }
    }

    /// Daraja's `SecurityCredential` for the tenant's initiator password: RSA (PKCS#1 v1.5) with the
    /// environment's certificate, made once per credentials generation. Daraja refuses
    /// OAEP padding or another environment's certificate with result 2001 ("initiator information is invalid").
    func securityCredential(tenant: String, profile credentials: ShortCodeProfile) throws(EngineError) -> String {
        let environment = credentials.environment == "production" ? "production" : "sandbox"
        guard let certificate = certificates.withLock({ $0[environment] }) else {
            let variable = environment == "production" ? "PESA_DARAJA_PRODUCTION_CERT" : "PESA_DARAJA_SANDBOX_CERT"
            throw EngineError(
                .upstreamUnavailable,
                "this gateway has no Daraja \(environment) certificate to encrypt the initiator password with: "
                    + "the operator sets \(variable) to the certificate file")
        }
        let key = tenant + "/" + credentials.id.rawValue
        let fingerprint = "\(credentials.record.version)|\(environment)|\(certificate.keySizeInBits)"
        if let cached = securityCredentials.withLock({ $0[key] }), cached.fingerprint == fingerprint {
            return cached.value
        }
        let value: String
        do {
            value = try certificate.securityCredential(for: DarajaSecret(credentials.initiatorPassword))
        } catch {
            throw EngineError(.upstreamError, "the initiator password could not be encrypted: \(error.message)")
        }
        securityCredentials.withLock { $0[key] = (fingerprint, value) }
        return value
    }

    func client(tenant: String, profile credentials: ShortCodeProfile) -> DarajaClient {
        let key = tenant + "/" + credentials.id.rawValue
        let environment = darajaEnvironment(of: credentials)
        let fingerprint = "\(environment)|\(credentials.record.version)"
        if let cached = clients.withLock({ $0[key] }), cached.fingerprint == fingerprint { return cached.client }
        let configuration = DarajaClientConfiguration(
            environment: environment, consumerKey: credentials.consumerKey,
            consumerSecret: DarajaSecret(credentials.consumerSecret))
        var clientLogger = logger
        clientLogger[metadataKey: "tenant"] = "\(tenant)"
        clientLogger[metadataKey: "short_code"] = "\(credentials.shortCode)"
        let client = DarajaClient(configuration: configuration, httpClient: httpClient, logger: clientLogger)
        clients.withLock { $0[key] = (fingerprint, client) }
        return client
    }

    /// A client of its own for `profile` (nothing cached): `POST /v1/short-codes/{id}/verify` fetches a token
    /// with it, so a check never reuses a token another request fetched.
    func freshClient(profile: ShortCodeProfile) -> DarajaClient {
        let configuration = DarajaClientConfiguration(
            environment: darajaEnvironment(of: profile), consumerKey: profile.consumerKey,
            consumerSecret: DarajaSecret(profile.consumerSecret))
        return DarajaClient(configuration: configuration, httpClient: httpClient, logger: logger)
    }

    private func darajaEnvironment(of profile: ShortCodeProfile) -> DarajaEnvironment {
        if profile.environment == "production" { return .production }
        if let url = currentSandboxBaseURL { return .custom(baseURL: url) }
        return .sandbox
    }
}
