extension DataDirectory {
    /// Whether a tenant folder with this id holds its manifest (a folder being created, or left half made by
    /// a crash before its manifest was written, does not count).
    public func hasTenant(_ id: String) -> Bool {
        io.fileKind(at: Paths.join(tenantDirectory(id), TenantManifest.fileName)) == .regular
    }
}
