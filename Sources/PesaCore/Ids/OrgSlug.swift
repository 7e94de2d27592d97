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

    /// Slugs a new organization may not take: the gateway's own path segments and names.
    public static let reservedNames: Set<String> = [
        "system", "tenants", "admin", "api", "ui", "callbacks", "sandbox", "v1", "healthz", "readyz", "metrics",
        "openapi", "static", "assets", "www", "root", "pesa",
    ]

    /// Words Daraja filters out of callback URLs (any case), which hold the slug: such a slug's callbacks would
    /// never come.
    public static let wordsDarajaRefuses = ["mpesa", "m-pesa", "safaricom", "exe", "cmd", "sql", "query"]

    /// A slug for a new organization: `init`'s rules, plus it starts and ends with a letter or digit, is not a
    /// reserved name and holds no word Daraja refuses in a callback URL. (A slug already journaled is read with
    /// `init` alone, so an older organization's slug stays valid.)
    public static func forNewOrganization(_ text: String) throws(PesaCoreError) -> OrgSlug {
        let slug = try OrgSlug(text)
        guard let first = text.first, let last = text.last, first != "-", last != "-" else {
            throw .invalidSlug("slug must start and end with a letter or a digit")
        }
        guard !reservedNames.contains(text) else { throw .invalidSlug("slug \"\(text)\" is reserved") }
        if let word = wordsDarajaRefuses.first(where: { text.contains($0) }) {
            throw .invalidSlug("slug may not contain \"\(word)\": Daraja refuses callback URLs with that word")
        }
        return slug
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
