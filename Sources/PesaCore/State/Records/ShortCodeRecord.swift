/// What a short-code profile is for. A paybill or a till collects (STK push, C2B); a B2C short code pays out.
/// Any of them may also hold an initiator, for reversals, balance and transaction-status queries.
public enum ShortCodeKind: String, Sendable, Codable, CaseIterable {
    case paybill, till, b2c

    /// Whether an STK push or a C2B payment can go to it.
    public var collects: Bool { self != .b2c }
}

/// The last check of a profile's keys against Daraja (an OAuth token fetch).
public struct ShortCodeVerification: Sendable, Equatable, Codable {
    public var ok: Bool
    public var checkedAtMs: Int64
    /// Daraja's own text when the check failed.
    public var error: String?

    public init(ok: Bool, checkedAtMs: Int64, error: String?) {
        self.ok = ok
        self.checkedAtMs = checkedAtMs
        self.error = error
    }
}

/// One short-code profile as the journal knows it: its non-secret facts and masked hints. The secrets
/// (consumer key and secret, passkey, initiator password) are in the credentials vault under
/// `(id, version)`. A deleted profile stays, marked, so that its payments still name their short code.
public struct ShortCodeRecord: Sendable, Equatable {
    public internal(set) var id: ShortCodeID
    public internal(set) var label: String
    /// `sandbox` or `production`; never changes.
    public internal(set) var environment: String
    /// The number Daraja knows (BusinessShortCode, PartyA); never changes.
    public internal(set) var shortCode: String
    public internal(set) var kind: ShortCodeKind
    /// A till's PartyB for buy goods (the store number is `shortCode`).
    public internal(set) var tillNumber: String?
    public internal(set) var isDefault: Bool
    /// The vault version of its secrets; a change of secrets raises it.
    public internal(set) var version: Int64
    /// Field name -> masked value, never a secret in clear.
    public internal(set) var hints: [String: String]
    public internal(set) var createdAtMs: Int64
    public internal(set) var updatedAtMs: Int64
    public internal(set) var deletedAtMs: Int64?
    public internal(set) var lastVerification: ShortCodeVerification?

    public var isDeleted: Bool { deletedAtMs != nil }
    /// Whether it holds an initiator (payouts, reversals, balance and status need one).
    public var hasInitiator: Bool { hints["initiator_name"] != nil }
    /// Whether an STK push can be sent from it (a passkey is recorded).
    public var hasPasskey: Bool { hints["passkey"] != nil }

    /// Whether Daraja may name this profile with `number` (its short code, or a till's till number).
    public func answers(to number: String) -> Bool { shortCode == number || tillNumber == number }
}

extension ShortCodeID {
    /// The id a credential set saved before profiles existed is known by: derived from its kind and short
    /// code, so that a replay of an old journal, an old snapshot and an old vault agree on it.
    public static func legacy(kind: ShortCodeKind, shortCode: String) -> ShortCodeID {
        var bytes = [UInt8](repeating: 0, count: Limits.idRandomBytesCount)
        bytes[1] = UInt8(ShortCodeKind.allCases.firstIndex(of: kind) ?? 0) + 1
        var number = UInt64(shortCode) ?? 0
        for index in stride(from: 15, through: 8, by: -1) {
            bytes[index] = UInt8(truncatingIfNeeded: number)
            number >>= 8
        }
        return ShortCodeID(randomBytes: bytes)
    }

    /// Whether the id was derived by `legacy(kind:shortCode:)` (a random id has these bytes with odds of 2^-56).
    public var isLegacy: Bool {
        let bytes = randomBytes
        return bytes[0] == 0 && (1...3).contains(bytes[1]) && bytes[2..<8].allSatisfy { $0 == 0 }
    }
}
