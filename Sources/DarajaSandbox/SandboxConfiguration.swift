import Foundation
/// How the sandbox listens and behaves. Every limit carries its unit last.
public struct SandboxConfiguration: Sendable {
    /// The public sandbox passkey of shortcode 174379 (Daraja's M-Pesa Express sandbox test credentials).
    public static let publicSandboxPasskey = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"
    /// The public sandbox initiator and its password.
    public static let publicSandboxInitiator = "testapi"
    public static let publicSandboxInitiatorPassword = "Safaricom999!*!"
    /// Environment variable overriding `callbackDelayMs`.
    public static let callbackDelayEnvironmentVariable = "PESA_SANDBOX_CALLBACK_DELAY_MS"

    public var host: String
    /// 0 picks a free port; read the bound one with `DarajaSandbox.boundPort()`.
    public var port: Int
    /// Delay between accepting a request and calling back.
    public var callbackDelayMs: Int64
    /// Lifetime of issued access tokens (`expires_in`).
    public var tokenLifetimeSeconds: Int64
    /// Send `expires_in` as a JSON number instead of Daraja's usual string.
    public var expiresInAsNumber: Bool
    /// STK passkeys by shortcode; 174379 has the public sandbox passkey. Register more with `registerPasskey`.
    public var passkeys: [String: String]
    /// Initiator passwords by initiator name, compared with decrypted `SecurityCredential`s.
    public var initiatorPasswords: [String: String]
    /// PEM of the RSA private key that decrypts `SecurityCredential`s; nil uses the built-in key.
    public var privateKeyPEM: String?
    /// PEM served at `GET /sandbox/certificate.pem`; nil uses the built-in certificate.
    public var certificatePEM: String?
    /// Consumer keys whose apps have no API product: every business call answers `401.003.01`.
    public var consumerKeysWithoutProducts: Set<String>
    /// Callbacks being delivered at once.
    public var callbackConcurrencyMax: Int
    /// Callbacks waiting; beyond this new ones are dropped (and counted).
    public var callbackQueueDepthMax: Int
    /// Deadline of one callback delivery (Daraja waits about 8 s for a C2B validation answer).
    public var callbackTimeoutMs: Int64
    /// Transactions remembered for queries, reversals and duplicate checks; the oldest are forgotten first
    /// (about 1 KB each across the indexes, so the default bounds this state near 250 MB at worst).
    public var transactionCountMax: Int
    /// Live access tokens remembered; the oldest are forgotten first.
    public var tokenCountMax: Int
    /// Largest request body accepted.
    public var requestBodyBytesMax: Int
    /// Strict mode: reject an STK `Timestamp` further than this from Kenyan now with `Invalid Timestamp`
    /// (Daraja's window is unconfirmed; nil, the default, checks the format only).
    public var timestampWindowSeconds: Int64?
    /// Refuse a second STK push to a phone whose first is still pending, as Daraja does ("Unable to lock
    /// subscriber", `500.001.1001`). On by default; load tests that reuse one test number turn it off.
    public var locksSubscribers: Bool
    /// Spike arrest: STK pushes per second accepted per consumer key before `500.003.02`; nil is unlimited.
    public var stkPushesPerSecondMax: Int?

    public init(
        host: String = "127.0.0.1", port: Int = 0, callbackDelayMs: Int64 = 1_000, tokenLifetimeSeconds: Int64 = 3599,
        expiresInAsNumber: Bool = false,
        passkeys: [String: String] = ["174379": SandboxConfiguration.publicSandboxPasskey],
        initiatorPasswords: [String: String] = [
            SandboxConfiguration.publicSandboxInitiator: SandboxConfiguration.publicSandboxInitiatorPassword
        ],
        privateKeyPEM: String? = nil, certificatePEM: String? = nil, consumerKeysWithoutProducts: Set<String> = [],
        callbackConcurrencyMax: Int = 256, callbackQueueDepthMax: Int = 200_000, callbackTimeoutMs: Int64 = 8_000,
        transactionCountMax: Int = 250_000, tokenCountMax: Int = 100_000, requestBodyBytesMax: Int = 64 * 1024
    ) {
        self.host = host
        self.port = port
        self.callbackDelayMs = callbackDelayMs
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
        self.expiresInAsNumber = expiresInAsNumber
        self.passkeys = passkeys
        self.initiatorPasswords = initiatorPasswords
        self.privateKeyPEM = privateKeyPEM
        self.certificatePEM = certificatePEM
        self.consumerKeysWithoutProducts = consumerKeysWithoutProducts
        self.callbackConcurrencyMax = callbackConcurrencyMax
        self.callbackQueueDepthMax = callbackQueueDepthMax
        self.callbackTimeoutMs = callbackTimeoutMs
        self.transactionCountMax = transactionCountMax
        self.tokenCountMax = tokenCountMax
        self.requestBodyBytesMax = requestBodyBytesMax
        self.timestampWindowSeconds = nil
        self.locksSubscribers = true
        self.stkPushesPerSecondMax = nil
    }

    /// Applies `PESA_SANDBOX_CALLBACK_DELAY_MS` from `environment` when it holds a valid number.
    public mutating func apply(environment: [String: String]) {
        if let text = environment[Self.callbackDelayEnvironmentVariable], let delay = Int64(text), delay >= 0 {
            callbackDelayMs = delay
        }
        for pair in (environment[Self.passkeysEnvironmentVariable] ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { continue }
            passkeys[parts[0]] = parts[1]
        }
    }

    /// More STK short codes with their passkeys, `SHORTCODE=PASSKEY[,…]` (an embedded sandbox takes no command
    /// line of its own): a test can collect on several paybills and tills.
    public static let passkeysEnvironmentVariable = "PESA_SANDBOX_PASSKEYS"
}
