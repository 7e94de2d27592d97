/// An organization's slug: `[a-z0-9-]{2,40}`. It names the organization in callback URLs and batch ids.
public struct OrgSlug: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ text: String) throws(PesaCoreError) {
        let count = text.utf8.count
        guard count >= Limits.orgSlugCharactersMin, count <= Limits.orgSlugCharactersMax else {
            throw .invalidSlug(
                "slug must be \(Limits.orgSlugCharactersMin) to \(Limits.orgSlugCharactersMax) characters")
        }
        let allowed = text.utf8.allSatisfy { char in
            (char >= UInt8(ascii: "a") && char <= UInt8(ascii: "z"))
                || (char >= UInt8(ascii: "0") && char <= UInt8(ascii: "9")) || char == UInt8(ascii: "-")
        }
        guard allowed else { throw .invalidSlug("slug may hold only a-z, 0-9 and -") }
        rawValue = text
    }

    public var description: String { rawValue }

    public static func < (lhs: OrgSlug, rhs: OrgSlug) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
