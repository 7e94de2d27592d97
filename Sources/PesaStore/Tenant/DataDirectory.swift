import Foundation
import Logging

/// The data folder (data-layout.md, "Data folder"):
///
///     DATA/pesa-data.json     format version of the folder
///     DATA/LOCK               held by the process that writes the folder
///     DATA/master.key         the master key, when no other key source is configured (mode 0600)
///     DATA/system/            instance-wide journal (super admins, instance settings)
///     DATA/tenants/<id>/      one self-contained folder per organization
public struct DataDirectory: Sendable {
    public static let formatFileName = "pesa-data.json"
    public static let formatVersion = 1
    public static let tenantsDirectoryName = "tenants"
    public static let systemDirectoryName = "system"

    public let root: String
    public let io: any FileIO

    public init(root: String, io: any FileIO = PosixFileIO()) {
        self.root = root
        self.io = io
    }

    public var tenantsRoot: String { Paths.join(root, Self.tenantsDirectoryName) }
    public var systemRoot: String { Paths.join(root, Self.systemDirectoryName) }

    public func tenantDirectory(_ id: String) -> String { Paths.join(tenantsRoot, id) }

    /// Creates the folder's skeleton if needed and checks its format version.
    public func prepare() throws(StoreError) {
        do {
            try io.createDirectory(at: root)
            try io.createDirectory(at: tenantsRoot)
            try io.createDirectory(at: systemRoot)
        } catch {
            throw StoreError.io(error, "creating the data folder \(root)")
        }
        let formatPath = Paths.join(root, Self.formatFileName)
        if io.fileKind(at: formatPath) == .regular {
            try checkFormat(at: formatPath)
            return
        }
        let text = "{\"format_version\":\(Self.formatVersion)}\n"
        do {
            try io.replaceFileAtomically(at: formatPath, contents: Array(text.utf8), tempSuffix: "new")
        } catch {
            throw StoreError.io(error, "writing \(formatPath)")
        }
    }

    /// Checks the folder exists and its format is one this binary reads (for offline commands).
    public func checkExisting() throws(StoreError) {
        guard io.fileKind(at: root) == .directory else {
            throw StoreError(.notFound, "\(root) is not a pesa data folder (it does not exist)")
        }
        let formatPath = Paths.join(root, Self.formatFileName)
        guard io.fileKind(at: formatPath) == .regular else {
            throw StoreError(.notFound, "\(root) is not a pesa data folder (no \(Self.formatFileName))")
        }
        try checkFormat(at: formatPath)
    }

    private func checkFormat(at path: String) throws(StoreError) {
        struct Format: Decodable {
            let formatVersion: Int
            enum CodingKeys: String, CodingKey { case formatVersion = "format_version" }
        }
        let bytes: [UInt8]
        do { bytes = try io.readFile(at: path) } catch { throw StoreError.io(error, "reading \(path)") }
        guard let format = try? JSONDecoder().decode(Format.self, from: Data(bytes)) else {
            throw StoreError(.corruptRecord, "\(path) is unreadable")
        }
        guard format.formatVersion <= Self.formatVersion else {
            throw StoreError.newerFormat(path, found: format.formatVersion, known: Self.formatVersion)
        }
    }

    /// A tenant folder found at start-up: its manifest, or why it could not be read.
    public struct DiscoveredTenant: Sendable {
        public let directory: String
        public let manifest: Result<TenantManifest, StoreError>
    }

    /// Every folder under `tenants/`, with its manifest read (journals are not touched: tenants load lazily).
    public func discoverTenants() throws(StoreError) -> [DiscoveredTenant] {
        guard io.fileKind(at: tenantsRoot) == .directory else { return [] }
        let names: [String]
        do { names = try io.listDirectory(at: tenantsRoot) } catch { throw StoreError.io(error, "listing tenants") }
        var found: [DiscoveredTenant] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let directory = tenantDirectory(name)
            guard io.fileKind(at: directory) == .directory else { continue }
            found.append(DiscoveredTenant(directory: directory, manifest: Result { () throws(StoreError) in
                try readManifest(directory: directory, folderName: name)
            }))
        }
        return found
    }

    func readManifest(directory: String, folderName: String) throws(StoreError) -> TenantManifest {
        let path = Paths.join(directory, TenantManifest.fileName)
        let bytes: [UInt8]
        do { bytes = try io.readFile(at: path) } catch { throw StoreError.io(error, "reading \(path)") }
        let manifest = try TenantManifest.decode(bytes, path: path)
        guard manifest.id == folderName else {
            throw StoreError(.corruptRecord, "\(path) names tenant \(manifest.id) but sits in folder \(folderName)")
        }
        return manifest
    }

    /// Creates a new tenant folder with its manifest. Fails if the folder exists.
    public func createTenant(_ manifest: TenantManifest) throws(StoreError) {
        guard TenantManifest.isValidID(manifest.id) else {
            throw StoreError(.invalidArgument, "\"\(manifest.id)\" is not a valid tenant id")
        }
        let directory = tenantDirectory(manifest.id)
        guard io.fileKind(at: directory) == .missing else {
            throw StoreError(.invalidArgument, "tenant folder \(directory) already exists")
        }
        do {
            try io.createDirectory(at: directory)
            for sub in TenantLayout.subdirectories { try io.createDirectory(at: Paths.join(directory, sub)) }
            try io.replaceFileAtomically(
                at: Paths.join(directory, TenantManifest.fileName), contents: manifest.encoded(), tempSuffix: "new")
        } catch {
            throw StoreError.io(error, "creating tenant folder \(directory)")
        }
    }
}

/// The fixed sub-folders of a tenant folder.
public enum TenantLayout {
    public static let journal = SegmentCatalog.journalDirectory
    public static let archive = SegmentCatalog.archiveDirectory
    public static let snapshots = SnapshotFile.directoryName
    public static let quarantine = "quarantine"
    static let subdirectories = [journal, snapshots, archive, quarantine]
}

extension DataDirectory {
    /// `createTenant` on the store's blocking I/O queue.
    public func createTenantOffThread(_ manifest: TenantManifest) async throws(StoreError) {
        let directory = self
        try await BlockingIO.run { () throws(StoreError) in try directory.createTenant(manifest) }
    }
}
