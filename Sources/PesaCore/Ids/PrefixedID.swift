/// A typed, prefixed id: `pay_` followed by the 16 random bytes the caller passed in, as 26 lower-case
/// Crockford base32 characters (`pay_01h2x...`). PesaCore never makes randomness; the engine does.
public struct PrefixedID<Kind: IDKind>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The whole id, prefix included.
    public let rawValue: String

    /// An id from `Limits.idRandomBytesCount` random bytes. Any other count is a programming error.
    public init(randomBytes: [UInt8]) {
        precondition(randomBytes.count == Limits.idRandomBytesCount, "an id takes exactly 16 random bytes")
        rawValue = Kind.prefix + "_" + CrockfordBase32.encode(randomBytes)
    }

    /// Parses an id, checking its prefix and body. Upper-case input is accepted and made lower-case.
    public init(parsing text: String, field: String = "id") throws(PesaCoreError) {
        let bytes = try PrefixedID.randomBytes(of: text, field: field)
        self.init(randomBytes: bytes)
    }

    /// The random bytes the id was made from.
    public var randomBytes: [UInt8] {
        guard let bytes = CrockfordBase32.decode(rawValue.dropFirst(Kind.prefix.utf8.count + 1), byteCount: 16) else {
            preconditionFailure("a PrefixedID always holds a valid body")
        }
        return bytes
    }

    public var description: String { rawValue }

    public static func < (lhs: PrefixedID, rhs: PrefixedID) -> Bool { lhs.rawValue < rhs.rawValue }

    static func randomBytes(of text: String, field: String) throws(PesaCoreError) -> [UInt8] {
        let expected = Kind.prefix + "_"
        guard text.hasPrefix(expected) else {
            throw .invalidID("\(field) must start with \(expected)", field: field)
        }
        let body = text.dropFirst(expected.count)
        guard let bytes = CrockfordBase32.decode(body, byteCount: Limits.idRandomBytesCount) else {
            let count = CrockfordBase32.characterCount(forBytes: Limits.idRandomBytesCount)
            throw .invalidID("\(field) must be \(expected) followed by \(count) base32 characters", field: field)
        }
        return bytes
    }

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
