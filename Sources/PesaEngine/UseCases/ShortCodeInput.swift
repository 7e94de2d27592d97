import PesaCore

/// The fields of `POST /v1/short-codes` and `PATCH /v1/short-codes/{id}`, before validation. A PATCH names
/// only what changes.
public struct ShortCodeInput: Sendable {
    public var label: String?
    public var environment: String?
    public var shortCode: String?
    public var kind: String?
    public var consumerKey: String?
    public var consumerSecret: String?
    public var passkey: String?
    public var tillNumber: String?
    public var initiatorName: String?
    public var initiatorPassword: String?
    public var isDefault: Bool?

    public init() {}

    var namesSecret: Bool {
        [consumerKey, consumerSecret, passkey, initiatorName, initiatorPassword].contains { $0 != nil }
    }

    /// The profile this input makes of `existing` (nil: a new one): checked field by field, then for what its
    /// kind needs (a 422 names every missing field at once). Secrets are new only when the input names one.
    func validated(
        id: ShortCodeID, existing: (record: ShortCodeRecord, secrets: ShortCodeSecrets)?, makeDefault: Bool
    ) throws(EngineError) -> (event: TenantEvent.ShortCodeSaved, secrets: ShortCodeSecrets?) {
        let record = existing?.record
        for (field, given, current) in [
            ("environment", environment, record?.environment), ("short_code", shortCode, record?.shortCode),
            ("kind", kind, record?.kind.rawValue),
        ] {
            if let current, let given = Self.clean(given), given != current {
                throw EngineError.invalid(
                    field, "a profile's \(field) cannot change; create another profile and delete this one")
            }
        }
        let environment = Self.clean(environment) ?? record?.environment
        let number = Self.clean(shortCode) ?? record?.shortCode
        let kindText = Self.clean(kind) ?? record?.kind.rawValue
        let old = existing?.secrets
        let values: [String: String?] = [
            "consumer_key": Self.clean(consumerKey) ?? old?.consumerKey,
            "consumer_secret": Self.clean(consumerSecret) ?? old?.consumerSecret,
            "passkey": Self.clean(passkey) ?? old?.passkey,
            "initiator_name": Self.clean(initiatorName) ?? old?.initiatorName,
            "initiator_password": Self.clean(initiatorPassword) ?? old?.initiatorPassword,
            "till_number": Self.clean(tillNumber) ?? record?.tillNumber,
        ]
        let parsedKind = kindText.flatMap(ShortCodeKind.init(rawValue:))
        var required = ["environment", "short_code", "kind", "consumer_key", "consumer_secret"]
        switch parsedKind {
        case .paybill: required += ["passkey"]
        case .till: required += ["passkey", "till_number"]
        case .b2c: required += ["initiator_name", "initiator_password"]
        case nil: break
        }
        // An initiator comes whole: a name without its password (or the reverse) is refused.
        if (values["initiator_name"] ?? nil) != nil || (values["initiator_password"] ?? nil) != nil {
            required += ["initiator_name", "initiator_password"]
        }
        let present: [String: String?] = values.merging(
            ["environment": environment, "short_code": number, "kind": kindText]) { $1 }
        var missing: [String] = []
        for field in required where (present[field] ?? nil) == nil && !missing.contains(field) { missing.append(field) }
        guard missing.isEmpty else {
            throw EngineError(
                .invalidField, "missing required fields: \(missing.joined(separator: ", "))", param: missing[0])
        }
        guard let environment, environment == "sandbox" || environment == "production" else {
            throw EngineError.invalid("environment", "environment must be \"sandbox\" or \"production\"")
        }
        guard let parsedKind, let number else {
            throw EngineError.invalid("kind", "kind must be \"paybill\", \"till\" or \"b2c\"")
        }
        let till = parsedKind == .till ? (values["till_number"] ?? nil) : nil
        if parsedKind != .till, Self.clean(tillNumber) != nil {
            throw EngineError.invalid("till_number", "till_number is only for a till")
        }
        for (field, value) in [("short_code", number), ("till_number", till)] {
            guard let value else { continue }
            guard (5...8).contains(value.count), value.allSatisfy(\.isASCIIDigit) else {
                throw EngineError.invalid(field, "\(field) must be 5 to 8 digits")
            }
        }
        for field in ["consumer_key", "consumer_secret", "passkey", "initiator_name", "initiator_password"] {
            guard let value = values[field] ?? nil else { continue }
            guard value.count <= 256, !value.contains(where: \.isWhitespace) else {
                throw EngineError.invalid(field, "\(field) must be at most 256 characters without spaces")
            }
        }
        let label = Self.clean(label) ?? record?.label ?? "\(parsedKind.rawValue) \(number)"
        guard label.count <= Limits.shortCodeLabelCharactersMax,
            !label.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw EngineError.invalid(
                "label", "label must be at most \(Limits.shortCodeLabelCharactersMax) characters, no control characters"
            )
        }
        let changesSecrets = existing == nil || namesSecret
        let version = (record?.version ?? 0) + (changesSecrets ? 1 : 0)
        let secrets = ShortCodeSecrets(
            shortCodeID: id, version: version, consumerKey: values["consumer_key"].flatMap { $0 } ?? "",
            consumerSecret: values["consumer_secret"].flatMap { $0 } ?? "", passkey: values["passkey"] ?? nil,
            initiatorName: values["initiator_name"] ?? nil, initiatorPassword: values["initiator_password"] ?? nil)
        let event = TenantEvent.ShortCodeSaved(
            shortCodeID: id, version: version, label: label, environment: environment, shortCode: number,
            kind: parsedKind, tillNumber: till, isDefault: isDefault ?? (record?.isDefault ?? makeDefault),
            hints: secrets.hints)
        return (event, changesSecrets ? secrets : nil)
    }

    /// Trimmed (invisible whitespace breaks Daraja calls); empty reads as absent.
    static func clean(_ value: String?) -> String? {
        guard let trimmed = value?.trimmingWhitespace(), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
