extension TenantEvent {
    /// `short_code.saved`: a short-code profile was created or changed. Carries every non-secret fact and
    /// the masked hints; the vault holds the secrets of `version`. `default` makes it the organization's
    /// default for its kind (another default of that kind stops being one).
    public struct ShortCodeSaved: Sendable, Equatable, Codable {
        public var shortCodeID: ShortCodeID
        public var version: Int64
        public var label: String
        public var environment: String
        public var shortCode: String
        public var kind: ShortCodeKind
        public var tillNumber: String?
        public var isDefault: Bool
        /// Field name -> masked value. Never a secret in clear.
        public var hints: [String: String]

        public init(shortCodeID: ShortCodeID, version: Int64, label: String, environment: String, shortCode: String,
                    kind: ShortCodeKind, tillNumber: String?, isDefault: Bool, hints: [String: String]) {
            self.shortCodeID = shortCodeID
            self.version = version
            self.label = label
            self.environment = environment
            self.shortCode = shortCode
            self.kind = kind
            self.tillNumber = tillNumber
            self.isDefault = isDefault
            self.hints = hints
        }

        enum CodingKeys: String, CodingKey {
            case version, label, environment, kind, hints
            case shortCodeID = "short_code_id"
            case shortCode = "short_code"
            case tillNumber = "till_number"
            case isDefault = "default"
        }
    }

    /// `short_code.deleted`: the profile takes no new requests; its payments keep naming it.
    public struct ShortCodeDeleted: Sendable, Equatable, Codable {
        public var shortCodeID: ShortCodeID

        public init(shortCodeID: ShortCodeID) { self.shortCodeID = shortCodeID }

        enum CodingKeys: String, CodingKey { case shortCodeID = "short_code_id" }
    }

    /// `short_code.verified`: the profile's keys were tried against Daraja (an OAuth token fetch) at the
    /// event's time.
    public struct ShortCodeVerified: Sendable, Equatable, Codable {
        public var shortCodeID: ShortCodeID
        public var ok: Bool
        /// Daraja's text when it refused the keys (never a secret).
        public var error: String?

        public init(shortCodeID: ShortCodeID, ok: Bool, error: String?) {
            self.shortCodeID = shortCodeID
            self.ok = ok
            self.error = error
        }

        enum CodingKeys: String, CodingKey {
            case ok, error
            case shortCodeID = "short_code_id"
        }
    }
}

extension TenantEvent {
    /// `short_code.claimed` (in the instance's `system/` journal): a production short code belongs to this
    /// organization on this instance; no other organization may hold it.
    public struct ShortCodeClaimed: Sendable, Equatable, Codable {
        public var shortCode: String
        public var organizationID: OrganizationID

        public init(shortCode: String, organizationID: OrganizationID) {
            self.shortCode = shortCode
            self.organizationID = organizationID
        }

        enum CodingKeys: String, CodingKey {
            case shortCode = "short_code"
            case organizationID = "organization_id"
        }
    }
}

extension TenantEvent.CredentialsUpdated {
    /// The profiles a credential set saved before profiles existed stands for: its Lipa na M-Pesa short code
    /// (a paybill, or a till for buy goods), and its B2C short code when that is another number. Both are the
    /// defaults of their kinds. The second value is whether a B2C default must stop being one (the set pays
    /// out from its own short code).
    public func legacyProfiles() -> (profiles: [TenantEvent.ShortCodeSaved], clearsB2CDefault: Bool) {
        let kind: ShortCodeKind = hints["transaction_type"] == "buy_goods" ? .till : .paybill
        let shared = ["consumer_key", "consumer_secret", "initiator_name", "initiator_password"]
        let collecting = hints.filter { (shared + ["passkey"]).contains($0.key) }
        var profiles = [
            TenantEvent.ShortCodeSaved(
                shortCodeID: .legacy(kind: kind, shortCode: businessShortCode), version: version,
                label: "M-Pesa credentials", environment: environment, shortCode: businessShortCode, kind: kind,
                tillNumber: kind == .till ? hints["till_number"] : nil, isDefault: true, hints: collecting)
        ]
        guard let b2c = hints["b2c_short_code"], b2c != businessShortCode else { return (profiles, true) }
        profiles.append(
            TenantEvent.ShortCodeSaved(
                shortCodeID: .legacy(kind: .b2c, shortCode: b2c), version: version, label: "M-Pesa credentials (B2C)",
                environment: environment, shortCode: b2c, kind: .b2c, tillNumber: nil, isDefault: true,
                hints: hints.filter { shared.contains($0.key) }))
        return (profiles, false)
    }
}
