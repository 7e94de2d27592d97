import PesaCore

/// The snapshots of one tenant folder: listing, reading, writing (atomically) and pruning.
enum SnapshotCatalog {
    struct Entry: Sendable, Equatable {
        let seq: UInt64
        let path: String
    }

    /// Snapshots sorted by the sequence number they cover, oldest first.
    static func list(tenantDirectory: String, io: any FileIO) throws(StoreError) -> [Entry] {
        let folder = Paths.join(tenantDirectory, SnapshotFile.directoryName)
        guard io.fileKind(at: folder) == .directory else { return [] }
        let names: [String]
        do { names = try io.listDirectory(at: folder) } catch { throw StoreError.io(error, "listing \(folder)") }
        return names.compactMap { name in
            SnapshotFile.seq(fromFileName: name).map { Entry(seq: $0, path: Paths.join(folder, name)) }
        }.sorted { $0.seq < $1.seq }
    }

    static func read(_ entry: Entry, io: any FileIO) throws(StoreError) -> SnapshotFile {
        let bytes: [UInt8]
        do { bytes = try io.readFile(at: entry.path) } catch { throw StoreError.io(error, "reading \(entry.path)") }
        let file = try SnapshotFile.decode(bytes, path: entry.path)
        guard file.header.seq == entry.seq else {
            throw StoreError(.snapshotInvalid, "\(entry.path) holds seq \(file.header.seq), not the one it is named by")
        }
        return file
    }

    /// Writes a snapshot: temporary file, sync, rename, directory sync. Then removes snapshots beyond
    /// `Limits.snapshotsKeptCount`, oldest first.
    static func write(
        tenantDirectory: String, position: JournalPosition, atMs: Int64, stateFormat: Int, payload: [UInt8],
        io: any FileIO
    ) throws(StoreError) -> Entry {
        let folder = Paths.join(tenantDirectory, SnapshotFile.directoryName)
        let entry = Entry(seq: position.seq, path: Paths.join(folder, SnapshotFile.fileName(seq: position.seq)))
        let bytes = SnapshotFile.encode(
            seq: position.seq, hash: position.hash, atMs: atMs, stateFormat: stateFormat, payload: payload)
        do {
            try io.createDirectory(at: folder)
            try io.replaceFileAtomically(at: entry.path, contents: bytes, tempSuffix: "\(position.seq)")
        } catch {
            throw StoreError.io(error, "writing snapshot \(entry.path)")
        }
        try prune(tenantDirectory: tenantDirectory, io: io)
        return entry
    }

    private static func prune(tenantDirectory: String, io: any FileIO) throws(StoreError) {
        let all = try list(tenantDirectory: tenantDirectory, io: io)
        guard all.count > Limits.snapshotsKeptCount else { return }
        do {
            for old in all.dropLast(Limits.snapshotsKeptCount) { try io.removeFile(at: old.path) }
            try io.syncDirectory(at: Paths.join(tenantDirectory, SnapshotFile.directoryName))
        } catch {
            throw StoreError.io(error, "removing old snapshots")
        }
    }
}
