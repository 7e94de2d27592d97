public import AsyncHTTPClient
import DarajaWire
public import Logging
import Foundation
import NIOCore
import NIOHTTP1

/// A typed Daraja client for one (tenant, environment): OAuth token cache with single-flight refresh,
/// timeouts, bounded retries for queries only, and typed `DarajaError`s that never carry a secret.
///
/// The `HTTPClient` is injected and shared; shutting it down is the caller's job.
///
/// ```swift
/// let client = DarajaClient(
///     configuration: .init(environment: .custom(baseURL: "http://127.0.0.1:\(port)"),  // or .sandbox, .production
///                          consumerKey: key, consumerSecret: DarajaSecret(secret)),
///     httpClient: sharedHTTPClient)
/// let ack = try await client.stkPush(STKPushInput(businessShortCode: "174379", passkey: passkey, amount: 10,
///     phoneNumber: "254708374149", callbackURL: url, accountReference: "INV-1", transactionDescription: "Order"))
/// switch try await client.stkQuery(businessShortCode: "174379", passkey: passkey,
///                                  checkoutRequestID: ack.checkoutRequestID) {
/// case .pending: ...                      // ask again later
/// case .completed(let answer): ...        // answer.resultCode.text == "0" is success
/// }
/// // Initiator APIs: credential = try DarajaCertificate(pem: certificatePEM).securityCredential(for: password)
/// ```
///
/// Errors: `.rejected` (Daraja said no, nothing happened), `.outcomeUnknown` (a money-moving request may have
/// been processed: never re-send it, settle it with STK query / transaction status), `.unreachable` (never
/// sent), `.transport` (a query kept failing after bounded retries).
public final class DarajaClient: Sendable {
    public let configuration: DarajaClientConfiguration
    let httpClient: HTTPClient
    let logger: Logger
    let tokenCache = AccessTokenCache()

    public init(configuration: DarajaClientConfiguration, httpClient: HTTPClient, logger: Logger? = nil) {
        self.configuration = configuration
        self.httpClient = httpClient
        var logger = logger ?? Logger(label: "daraja.client")
        logger[metadataKey: "daraja.environment"] = "\(configuration.environment)"
        self.logger = logger
    }

    /// A valid access token (cached; fetched single-flight when missing or about to expire).
    public func accessToken() async throws(DarajaError) -> DarajaSecret {
        try await cachedToken().value
    }

    func cachedToken() async throws(DarajaError) -> AccessTokenCache.Token {
        try await tokenCache.token { () async throws(DarajaError) -> AccessTokenCache.Token in
            try await self.fetchToken()
        }
    }

    /// `GET /oauth/v1/generate?grant_type=client_credentials` with Basic auth; retried like a query.
    func fetchToken() async throws(DarajaError) -> AccessTokenCache.Token {
        let url = configuration.environment.baseURL + DarajaEndpoint.oauthToken.path + "?grant_type=client_credentials"
        let basic = Data((configuration.consumerKey + ":" + configuration.consumerSecret.value).utf8)
            .base64EncodedString()
        let started = ContinuousClock.now
        let (status, body) = try await exchange(
            url: url, method: .GET, headers: [("Authorization", "Basic " + basic)], body: nil, kind: .query,
            endpoint: .oauthToken)
        guard (200..<300).contains(status) else {
            let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: body)
            throw .authentication(status, envelope)
        }
        let answer: AccessTokenResponse
        do {
            answer = try JSONDecoder().decode(AccessTokenResponse.self, from: body)
        } catch {
            throw .invalidResponse("undecodable token answer", status: status, cause: error)
        }
        let lifetimeSeconds = max(answer.expiresInSeconds ?? 3599, 1)
        let usableSeconds = max(lifetimeSeconds - configuration.tokenRefreshMarginSeconds, lifetimeSeconds / 2)
        logger.debug("daraja token fetched", metadata: ["daraja.token.lifetime_s": "\(lifetimeSeconds)"])
        return .init(value: DarajaSecret(answer.accessToken), refreshAt: started + .seconds(usableSeconds))
    }
}
