import Foundation
public import PesaCore

/// The secrets of one version of a short-code profile, as kept in the encrypted vault. Never logged:
/// `description` is redacted.
struct ShortCodeSecrets: Codable, Sendable, Equatable, CustomStringConvertible {
    var shortCodeID: ShortCodeID
    var version: Int64
    var consumerKey: String
    var consumerSecret: String
    var passkey: String?
    var initiatorName: String?
    var initiatorPassword: String?

    var description: String { "ShortCodeSecrets(\(shortCodeID) v\(version), <redacted>)" }

    enum CodingKeys: String, CodingKey {
        case version, passkey
        case shortCodeID = "short_code_id"
        case consumerKey = "consumer_key"
        case consumerSecret = "consumer_secret"
        case initiatorName = "initiator_name"
        case initiatorPassword = "initiator_password"
    }

    /// Masked values safe to show and to journal (`short_code.saved` hints).
    var hints: [String: String] {
        var hints = ["consumer_key": MpesaCredentials.mask(consumerKey),
                     "consumer_secret": MpesaCredentials.mask(consumerSecret)]
        if let passkey { hints["passkey"] = MpesaCredentials.mask(passkey) }
        if let initiatorName { hints["initiator_name"] = initiatorName }
        if initiatorPassword != nil { hints["initiator_password"] = "********" }
        return hints
    }
}

/// The signing secret of one webhook endpoint, and while it rotates the previous one. Never logged:
/// `description` is redacted.
struct WebhookSecretEntry: Codable, Sendable, Equatable, CustomStringConvertible {
    var endpointID: WebhookEndpointID
    /// `whsec_<base64>`.
    var secret: String
    var previous: String?
    var previousValidUntilMs: Int64?

    var description: String { "WebhookSecretEntry(\(endpointID), <redacted>)" }

    enum CodingKeys: String, CodingKey {
        case secret, previous
        case endpointID = "endpoint_id"
        case previousValidUntilMs = "previous_valid_until_ms"
    }
}

/// The vault's plaintext (data-layout.md, "Credentials vault"): format 2 holds the secrets of every
/// profile, the version the journal names and the one before (so that a change whose journal event failed
/// leaves the recorded version readable); format 3 adds the webhook endpoints' signing secrets; format 1,
/// written before profiles, held one credential set.
struct VaultContent: Codable {
    static let format = 3

    var format: Int?
    var profiles: [ShortCodeSecrets]?
    /// Format 1 only.
    var credentials: [MpesaCredentials]?
    /// Format 3: the signing secrets of the organization's webhook endpoints.
    var webhookSecrets: [WebhookSecretEntry]?

    init(profiles: [ShortCodeSecrets], webhookSecrets: [WebhookSecretEntry]? = nil) {
        self.format = Self.format
        self.profiles = profiles
        self.credentials = nil
        self.webhookSecrets = webhookSecrets
    }

    enum CodingKeys: String, CodingKey {
        case format, profiles, credentials
        case webhookSecrets = "webhook_secrets"
    }

    enum Reading {
        case content(VaultContent)
        case newer(Int)
        case unreadable
    }

    /// The plaintext's format is looked at first, so a newer vault is told apart from a damaged one.
    static func read(_ plaintext: [UInt8]) -> Reading {
        struct Probe: Decodable { var format: Int? }
        guard let probe = try? JSONDecoder().decode(Probe.self, from: Data(plaintext)) else { return .unreadable }
        let found = probe.format ?? 1
        guard found <= format else { return .newer(found) }
        guard let content = try? JSONDecoder().decode(VaultContent.self, from: Data(plaintext)),
            content.profiles != nil || content.credentials != nil
        else { return .unreadable }
        return .content(content)
    }

    /// Every profile's secrets, format 1 read as the profiles its credential sets stand for.
    var allSecrets: [ShortCodeSecrets] {
        if let profiles { return profiles }
        return (credentials ?? []).flatMap { credentials in
            let kind: ShortCodeKind = credentials.transactionType == .buyGoods ? .till : .paybill
            var secrets = [
                ShortCodeSecrets(
                    shortCodeID: .legacy(kind: kind, shortCode: credentials.businessShortCode),
                    version: credentials.version, consumerKey: credentials.consumerKey,
                    consumerSecret: credentials.consumerSecret, passkey: credentials.passkey,
                    initiatorName: credentials.initiatorName, initiatorPassword: credentials.initiatorPassword)
            ]
            if let b2c = credentials.b2cShortCode, b2c != credentials.businessShortCode {
                secrets.append(
                    ShortCodeSecrets(
                        shortCodeID: .legacy(kind: .b2c, shortCode: b2c), version: credentials.version,
                        consumerKey: credentials.consumerKey, consumerSecret: credentials.consumerSecret, passkey: nil,
                        initiatorName: credentials.initiatorName, initiatorPassword: credentials.initiatorPassword))
            }
            return secrets
        }
    }
}

/// A profile ready for Daraja calls: what the journal knows and the secrets of its current version. Never
/// logged: `description` is redacted.
public struct ShortCodeProfile: Sendable, CustomStringConvertible {
    public let record: ShortCodeRecord
    let secrets: ShortCodeSecrets

    public var id: ShortCodeID { record.id }
    public var environment: String { record.environment }
    /// BusinessShortCode of an STK push, PartyA of B2C, balance and status, ReceiverParty of a reversal.
    public var shortCode: String { record.shortCode }
    public var transactionType: TransactionType { record.kind == .till ? .buyGoods : .paybill }
    /// PartyB of an STK push: a till's till number (buy goods), else the short code.
    public var tillNumber: String? { record.kind == .till ? record.tillNumber : nil }
    var consumerKey: String { secrets.consumerKey }
    var consumerSecret: String { secrets.consumerSecret }
    var passkey: String { secrets.passkey ?? "" }
    var initiatorName: String { secrets.initiatorName ?? "" }
    var initiatorPassword: String { secrets.initiatorPassword ?? "" }

    public var description: String { "ShortCodeProfile(\(record.id), \(record.shortCode), <redacted>)" }
}

/// What a request wants a profile for: which kinds may serve it, and what the profile must hold.
enum ShortCodeUse: Sendable {
    /// STK push: a paybill or till with a passkey.
    case stkPush
    /// C2B URL registration and simulation: a paybill or till.
    case c2b
    /// B2C payout: an initiator (a B2C short code, or a paybill or till that holds one).
    case payout
    /// Balance and transaction-status queries, reversals: an initiator on any kind.
    case query

    var paymentType: PaymentType {
        switch self {
        case .stkPush: .stkPush
        case .c2b: .c2b
        case .payout: .b2c
        case .query: .reversal
        }
    }

    /// Why `record` cannot serve this use, or nil when it can.
    func refusal(of record: ShortCodeRecord) -> String? {
        switch self {
        case .stkPush:
            guard record.kind.collects else { return "a b2c short code cannot collect an STK push" }
            return record.hasPasskey ? nil : "short code \(record.shortCode) has no passkey for STK push"
        case .c2b:
            return record.kind.collects ? nil : "a b2c short code does not receive C2B payments"
        case .payout, .query:
            return record.hasInitiator
                ? nil : "short code \(record.shortCode) has no initiator_name / initiator_password"
        }
    }
}

/// `pesa verify`'s check of a vault against the journal: every profile that takes requests has the secrets of
/// the version its last `short_code.saved` names.
public enum ShortCodeVaultCheck {
    public static func problems(vaultPlaintext: [UInt8]?, state: TenantState) -> [String] {
        let active = state.activeShortCodes
        guard !active.isEmpty else { return [] }
        guard let vaultPlaintext else { return ["\(active.count) short codes but no credentials vault"] }
        let content: VaultContent
        switch VaultContent.read(vaultPlaintext) {
        case .content(let read): content = read
        case .newer(let format): return ["the credentials vault has format \(format), newer than this pesa knows"]
        case .unreadable: return ["the credentials vault does not hold readable short-code secrets"]
        }
        let secrets = content.allSecrets
        return active.compactMap { record in
            secrets.contains { $0.shortCodeID == record.id && $0.version == record.version }
                ? nil
                : "short code \(record.shortCode) (\(record.id)) version \(record.version) has no secrets in the vault"
        }
    }
}
