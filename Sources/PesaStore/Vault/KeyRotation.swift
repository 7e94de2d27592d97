/// `pesa keys rotate`: re-encrypts every tenant's vault and callback token key from one master key to another.
/// Each file is replaced atomically, and each records its key id, so an interrupted rotation resumes where it stopped
/// (vaults already under the new key are left alone).
public struct KeyRotation: Sendable {
    public struct Report: Sendable {
        public var rotated: [String] = []
        public var alreadyRotated: [String] = []
        public var withoutVault: [String] = []
    }

    let data: DataDirectory
    let old: CredentialVault
    let new: CredentialVault

    public init(data: DataDirectory, from old: MasterKey, to new: MasterKey) {
        self.data = data
        self.old = CredentialVault(masterKey: old)
        self.new = CredentialVault(masterKey: new)
    }

    public func run(progress: (@Sendable (String) -> Void)? = nil) throws(StoreError) -> Report {
        var report = Report()
        for tenant in try data.discoverTenants() {
            let manifest = try tenant.manifest.get()
            switch try rotate(tenantID: manifest.id) {
            case .rotated: report.rotated.append(manifest.id)
            case .alreadyRotated: report.alreadyRotated.append(manifest.id)
            case .noVault: report.withoutVault.append(manifest.id)
            }
            progress?("\(manifest.id): done")
        }
        return report
    }

    public enum Outcome: Sendable { case rotated, alreadyRotated, noVault }

    /// The files of a tenant sealed under the master key.
    static let sealedFileNames = [CredentialVault.fileName, TenantStore.callbackTokenKeyFileName]

    public func rotate(tenantID: String) throws(StoreError) -> Outcome {
        var outcomes: [Outcome] = []
        for name in Self.sealedFileNames {
            outcomes.append(try rotate(Paths.join(data.tenantDirectory(tenantID), name), tenantID: tenantID))
        }
        if outcomes.contains(.rotated) { return .rotated }
        return outcomes.contains(.alreadyRotated) ? .alreadyRotated : .noVault
    }

    private func rotate(_ path: String, tenantID: String) throws(StoreError) -> Outcome {
        let io = data.io
        guard io.fileKind(at: path) == .regular else { return .noVault }
        let bytes: [UInt8]
        do { bytes = try io.readFile(at: path) } catch { throw StoreError.io(error, "reading \(path)") }
        if try CredentialVault.keyID(of: bytes, path: path) == new.masterKey.id {
            _ = try new.open(bytes, tenantID: tenantID, path: path)
            return .alreadyRotated
        }
        let plaintext = try old.open(bytes, tenantID: tenantID, path: path)
        let sealed = new.seal(plaintext, tenantID: tenantID)
        do {
            try io.replaceFileAtomically(at: path, contents: sealed, tempSuffix: "rotate")
        } catch {
            throw StoreError.io(error, "writing \(path)")
        }
        return .rotated
    }
}
