/// Reads of a tenant folder for offline commands (`pesa verify`), without opening its journal: they may run
/// beside a server that writes the same folder.
extension TenantStore {
    /// The organization's callback token key, opened with `vault`; nil when the folder has none (its tokens
    /// were journaled before keys existed). Throws when the file cannot be read or does not open.
    public static func readCallbackTokenKey(
        directory: String, tenantID: String, vault: CredentialVault, io: any FileIO
    ) throws(StoreError) -> [UInt8]? {
        try readSealed(at: Paths.join(directory, callbackTokenKeyFileName), tenantID: tenantID, vault: vault, io: io)
    }

    /// The plaintext of the organization's credentials vault, opened with `vault`; nil when it has none.
    public static func readCredentials(
        directory: String, tenantID: String, vault: CredentialVault, io: any FileIO
    ) throws(StoreError) -> [UInt8]? {
        try readSealed(at: Paths.join(directory, CredentialVault.fileName), tenantID: tenantID, vault: vault, io: io)
    }

    /// The plaintext of a sealed file (vault or key file), nil when there is no such file.
    static func readSealed(
        at path: String, tenantID: String, vault: CredentialVault, io: any FileIO
    ) throws(StoreError) -> [UInt8]? {
        guard io.fileKind(at: path) == .regular else { return nil }
        let bytes: [UInt8]
        do throws(FileIOError) {
            bytes = try io.readFile(at: path)
        } catch {
            throw StoreError.io(error, "reading \(path)")
        }
        return try vault.open(bytes, tenantID: tenantID, path: path)
    }
}
