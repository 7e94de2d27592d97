extension SnapshotInspector {
    /// The bytes of a tenant folder's newest snapshot file (the one covering the highest sequence number);
    /// nil when it has none. Checks nothing: `payload(of:)` does.
    public static func newestSnapshotBytes(tenantDirectory: String, io: any FileIO) throws(StoreError) -> [UInt8]? {
        guard let newest = try SnapshotCatalog.list(tenantDirectory: tenantDirectory, io: io).last else { return nil }
        do throws(FileIOError) {
            return try io.readFile(at: newest.path)
        } catch {
            throw StoreError.io(error, "reading \(newest.path)")
        }
    }
}
