import Foundation

/// `tenant.json`: what makes a tenant folder describe itself, so a folder copied into another instance's
/// `tenants/` is discovered at start-up with no other step (data-layout.md, "Tenant folder").
public struct TenantManifest: Codable, Sendable, Equatable {
    public static let fileName = "tenant.json"
    public static let formatVersion = 1

    public let formatVersion: Int
    public let id: String
    public let slug: String
    public let name: String
    public let createdAtMs: Int64

    public init(id: String, slug: String, name: String, createdAtMs: Int64) {
        self.formatVersion = Self.formatVersion
        self.id = id
        self.slug = slug
        self.name = name
        self.createdAtMs = createdAtMs
    }

    enum CodingKeys: String, CodingKey {
        case id, slug, name
        case formatVersion = "format_version"
        case createdAtMs = "created_at_ms"
    }

    /// A tenant id doubles as its folder name: ASCII letters, digits, `_` and `-`, 1 to 64 of them.
    public static func isValidID(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard (1...64).contains(utf8.count), id != "." && id != ".." else { return false }
        return utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == 0x5f || byte == 0x2d
        }
    }

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        guard let data = try? encoder.encode(self) else { preconditionFailure("a manifest always encodes") }
        return Array(data) + [0x0a]
    }

    static func decode(_ bytes: [UInt8], path: String) throws(StoreError) -> TenantManifest {
        struct Version: Decodable {
            let formatVersion: Int
            enum CodingKeys: String, CodingKey { case formatVersion = "format_version" }
        }
        guard let version = try? JSONDecoder().decode(Version.self, from: Data(bytes)) else {
            throw StoreError(.corruptRecord, "\(path) is not a readable tenant manifest")
        }
        guard version.formatVersion <= formatVersion else {
            throw StoreError.newerFormat(path, found: version.formatVersion, known: formatVersion)
        }
        guard let manifest = try? JSONDecoder().decode(TenantManifest.self, from: Data(bytes)),
            isValidID(manifest.id)
        else {
            throw StoreError(.corruptRecord, "\(path) is missing fields or has an invalid id")
        }
        return manifest
    }
}
