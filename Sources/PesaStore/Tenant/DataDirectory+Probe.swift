extension DataDirectory {
    /// The file `probeWritable` writes and removes (data-layout.md, "Data folder").
    public static let probeFileName = "readyz.probe"

    /// Proves the data folder takes durable writes now: creates `readyz.probe`, writes a few bytes, fsyncs them
    /// and removes the file. A probe file left by a crash is removed first. Throws `.io` with the disk's errno
    /// as `cause` (`FileIOError`: ENOSPC when full, EROFS when read-only).
    public func probeWritable() async throws(StoreError) {
        let directory = self
        try await BlockingIO.run { () throws(StoreError) in try directory.probeWritableNow() }
    }

    func probeWritableNow() throws(StoreError) {
        let path = Paths.join(root, Self.probeFileName)
        do {
            if io.fileKind(at: path) != .missing { try io.removeFile(at: path) }
            try io.writeNewFile(at: path, contents: Array("pesa readiness probe\n".utf8))
            try io.removeFile(at: path)
        } catch {
            throw StoreError.io(error, "writing \(path)")
        }
    }
}
