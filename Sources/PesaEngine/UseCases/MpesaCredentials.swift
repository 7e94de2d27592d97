public import PesaCore

/// One credential set: the shape of `PUT /v1/mpesa-credentials`, and of the vault's content before short-code
/// profiles (format 1), read as the profiles it stands for. Never logged: `description` is redacted.
public struct MpesaCredentials: Codable, Sendable, Equatable, CustomStringConvertible {
    public var version: Int64
    public var environment: String
    public var consumerKey: String
    public var consumerSecret: String
    public var businessShortCode: String
    public var passkey: String
    public var initiatorName: String
    public var initiatorPassword: String
    public var transactionType: TransactionType
    public var tillNumber: String?
    public var b2cShortCode: String?

    public var description: String { "MpesaCredentials(v\(version), \(environment), <redacted>)" }

    enum CodingKeys: String, CodingKey {
        case version, environment, passkey
        case consumerKey = "consumer_key"
        case consumerSecret = "consumer_secret"
        case businessShortCode = "business_short_code"
        case initiatorName = "initiator_name"
        case initiatorPassword = "initiator_password"
        case transactionType = "transaction_type"
        case tillNumber = "till_number"
        case b2cShortCode = "b2c_short_code"
    }

    /// Masked values safe to show (GET) and journal (`credentials.updated` hints).
    public var hints: [String: String] {
        var hints = [
            "consumer_key": Self.mask(consumerKey), "consumer_secret": Self.mask(consumerSecret),
            "passkey": Self.mask(passkey), "initiator_password": "********", "initiator_name": initiatorName,
            "business_short_code": businessShortCode, "transaction_type": transactionType.rawValue,
        ]
        if let tillNumber { hints["till_number"] = tillNumber }
        if let b2cShortCode { hints["b2c_short_code"] = b2cShortCode }
        return hints
    }

    /// `****` and the last 4 characters, only for secrets of at least `unmaskedTailLengthMin` characters (so
    /// at most a quarter shows); shorter ones are all stars.
    static func mask(_ secret: String) -> String {
        secret.count < unmaskedTailLengthMin ? "****" : "****" + String(secret.suffix(4))
    }

    static let unmaskedTailLengthMin = 16
}

/// The fields of `PUT /v1/mpesa-credentials`, before validation.
public struct MpesaCredentialsInput: Sendable {
    public var environment: String?
    public var consumerKey: String?
    public var consumerSecret: String?
    public var businessShortCode: String?
    public var passkey: String?
    public var initiatorName: String?
    public var initiatorPassword: String?
    public var transactionType: String?
    public var tillNumber: String?
    public var b2cShortCode: String?

    public init() {}

    /// Trims every value (invisible whitespace breaks Daraja calls) and checks them; a 422 names every
    /// missing required field at once.
    func validated(version: Int64) throws(EngineError) -> MpesaCredentials {
        func clean(_ value: String?) -> String? {
            guard let trimmed = value?.trimmingWhitespace(), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        let required: [(String, String?)] = [
            ("environment", clean(environment)), ("consumer_key", clean(consumerKey)),
            ("consumer_secret", clean(consumerSecret)), ("business_short_code", clean(businessShortCode)),
            ("passkey", clean(passkey)), ("initiator_name", clean(initiatorName)),
            ("initiator_password", clean(initiatorPassword)),
        ]
        let missing = required.filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty else {
            throw EngineError(
                .invalidField, "missing required fields: \(missing.joined(separator: ", "))", param: missing[0])
        }
        let values = Dictionary(uniqueKeysWithValues: required.map { ($0.0, $0.1 ?? "") })
        let environment = values["environment"] ?? ""
        guard environment == "sandbox" || environment == "production" else {
            throw EngineError.invalid("environment", "environment must be \"sandbox\" or \"production\"")
        }
        let type = try Self.transactionType(clean(transactionType))
        let till = clean(tillNumber)
        if type == .buyGoods && till == nil {
            throw EngineError.invalid("till_number", "till_number is required when transaction_type is buy_goods")
        }
        for (field, value) in [("business_short_code", values["business_short_code"]), ("till_number", till),
            ("b2c_short_code", clean(b2cShortCode))]
        {
            guard let value else { continue }
            guard (5...8).contains(value.count), value.allSatisfy(\.isASCIIDigit) else {
                throw EngineError.invalid(field, "\(field) must be 5 to 8 digits")
            }
        }
        for field in ["consumer_key", "consumer_secret", "passkey", "initiator_name", "initiator_password"] {
            guard let value = values[field], value.count <= 256, !value.contains(where: \.isWhitespace) else {
                throw EngineError.invalid(field, "\(field) must be at most 256 characters without spaces")
            }
        }
        return MpesaCredentials(
            version: version, environment: environment, consumerKey: values["consumer_key"] ?? "",
            consumerSecret: values["consumer_secret"] ?? "", businessShortCode: values["business_short_code"] ?? "",
            passkey: values["passkey"] ?? "", initiatorName: values["initiator_name"] ?? "",
            initiatorPassword: values["initiator_password"] ?? "", transactionType: type, tillNumber: till,
            b2cShortCode: clean(b2cShortCode))
    }

    private static func transactionType(_ text: String?) throws(EngineError) -> TransactionType {
        guard let text else { return .paybill }
        guard let type = TransactionType(rawValue: text) else {
            throw EngineError.invalid("transaction_type", "transaction_type must be \"paybill\" or \"buy_goods\"")
        }
        return type
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
