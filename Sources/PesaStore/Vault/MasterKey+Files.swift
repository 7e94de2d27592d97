/// The master key's files for offline commands (`pesa verify`, `pesa compact`, `pesa keys rotate`): found
/// without creating one, created on request, and swapped in at the end of a rotation.
extension MasterKey {
    /// The configured key, from `PESA_MASTER_KEY`, `keyFile` or `<data>/master.key`, in that order; nil when
    /// none is configured. Unlike `load`, creates nothing.
    public static func existing(
        environment: [String: String], keyFile: String?, dataDirectory: String, io: any FileIO
    ) throws(StoreError) -> MasterKey? {
        if let text = environment[environmentVariable], !text.isEmpty { return try MasterKey(base64: text) }
        if let keyFile { return try read(keyFile, io: io) }
        let path = Paths.join(dataDirectory, defaultFileName)
        guard io.fileKind(at: path) == .regular else { return nil }
        return try read(path, io: io)
    }

    /// The key in the file at `path`; when there is no file, a new key written there (mode 0600, atomically).
    public static func readOrCreate(at path: String, io: any FileIO) throws(StoreError)
        -> (key: MasterKey, created: Bool)
    {
        if io.fileKind(at: path) == .regular { return (try read(path, io: io), false) }
        let key = generate()
        do {
            try io.replaceFileAtomically(at: path, contents: Array((key.base64 + "\n").utf8), tempSuffix: "new")
        } catch {
            throw StoreError.io(error, "writing the master key file \(path)")
        }
        return (key, true)
    }

    /// Makes the key file at `newKeyFile` the data folder's `master.key`: the current `master.key` is renamed
    /// to `master.key.retired-<retiredAtSeconds>` (kept, never deleted), the new file takes its name, and the
    /// folder is synced. Returns the retired file's path.
    public static func installRotated(
        newKeyFile: String, dataDirectory: String, retiredAtSeconds: Int64, io: any FileIO
    ) throws(StoreError) -> String {
        let current = Paths.join(dataDirectory, defaultFileName)
        let retired = current + ".retired-\(retiredAtSeconds)"
        do {
            try io.rename(from: current, to: retired)
            try io.rename(from: newKeyFile, to: current)
            try io.syncDirectory(at: dataDirectory)
        } catch {
            throw StoreError.io(error, "installing \(newKeyFile) as \(current)")
        }
        return retired
    }
}
