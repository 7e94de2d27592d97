/// A payout batch id, as the HTTP contract shows it: `bat_<org slug>_<26 base32 characters>`, e.g.
/// `bat_acme-shop_01h2x...`. The slug cannot hold `_`, so the id splits at its last `_`.
public struct BatchID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public static let prefix = "bat"
    public let rawValue: String
    public let slug: OrgSlug

    public init(slug: OrgSlug, randomBytes: [UInt8]) {
        precondition(randomBytes.count == Limits.idRandomBytesCount, "an id takes exactly 16 random bytes")
        self.slug = slug
        rawValue = BatchID.prefix + "_" + slug.rawValue + "_" + CrockfordBase32.encode(randomBytes)
    }

    public init(parsing text: String, field: String = "id") throws(PesaCoreError) {
        let expected = BatchID.prefix + "_"
        guard text.hasPrefix(expected) else {
            throw .invalidID("\(field) must start with \(expected)", field: field)
        }
        let slugStart = text.index(text.startIndex, offsetBy: expected.count)
        guard let split = text[slugStart...].lastIndex(of: "_") else {
            throw .invalidID("\(field) must be bat_<org slug>_<id>", field: field)
        }
        let slugText = String(text[slugStart..<split])
        guard let slug = try? OrgSlug(slugText) else {
            throw .invalidID("\(field) must be bat_<org slug>_<id>", field: field)
        }
        let body = text[text.index(after: split)...]
        guard let bytes = CrockfordBase32.decode(body, byteCount: Limits.idRandomBytesCount) else {
            throw .invalidID("\(field) must end with 26 base32 characters", field: field)
        }
        self.init(slug: slug, randomBytes: bytes)
    }

    public var description: String { rawValue }

    public static func < (lhs: BatchID, rhs: BatchID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
