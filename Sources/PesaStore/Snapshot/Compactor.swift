/// Archives journal segments covered by the newest snapshot (see `TenantStore.compact`).
struct Compactor {
    let tenantDirectory: String
    let io: any FileIO

    func run(nowMs: Int64, graceMs: Int64) throws(StoreError) -> TenantStore.CompactionReport {
        var report = TenantStore.CompactionReport()
        guard let newest = try newestValidSnapshot() else { return report }
        report.snapshotSeq = newest
        let live = try SegmentCatalog.list(tenantDirectory: tenantDirectory, io: io).filter { !$0.isArchived }
        guard live.count > 1 else { return report }
        let archiveFolder = Paths.join(tenantDirectory, TenantLayout.archive)
        do { try io.createDirectory(at: archiveFolder) } catch { throw StoreError.io(error, "creating archive/") }
        // The last live segment is being appended to: never touched.
        for index in 0..<(live.count - 1) {
            let segment = live[index]
            let lastSeq = live[index + 1].firstSeq - 1
            guard lastSeq <= newest else { break }
            let archivePath = Paths.join(
                archiveFolder, SegmentCatalog.fileName(firstSeq: segment.firstSeq, archived: true))
            // A segment is read only when it is archived or removed now: one archived within the grace period
            // stays untouched (re-reading every such 16 MiB segment at each compaction cost page faults and
            // memory traffic that slowed requests while the compaction ran).
            if io.fileKind(at: archivePath) == .missing {
                try writeArchive(try SegmentCatalog.readBytes(of: segment, io: io), to: archivePath)
                report.archived.append(archivePath)
            } else if try isOlderThanGrace(archivePath, nowMs: nowMs, graceMs: graceMs) {
                let bytes = try SegmentCatalog.readBytes(of: segment, io: io)
                let archived = SegmentFile(firstSeq: segment.firstSeq, path: archivePath, isArchived: true)
                guard try SegmentCatalog.readBytes(of: archived, io: io) == bytes else {
                    throw StoreError(.corruptRecord, "\(archivePath) differs from \(segment.path); left both in place")
                }
                do {
                    try io.removeFile(at: segment.path)
                    try io.syncDirectory(at: Paths.directory(of: segment.path))
                } catch {
                    throw StoreError.io(error, "removing archived segment \(segment.path)")
                }
                report.removed.append(segment.path)
            }
        }
        return report
    }

    private func newestValidSnapshot() throws(StoreError) -> UInt64? {
        for entry in try SnapshotCatalog.list(tenantDirectory: tenantDirectory, io: io).reversed() {
            if (try? SnapshotCatalog.read(entry, io: io)) != nil { return entry.seq }
        }
        return nil
    }

    private func writeArchive(_ bytes: [UInt8], to path: String) throws(StoreError) {
        let compressed = Gzip.compress(bytes, fast: false)
        guard Gzip.decompress(compressed[...], maxBytes: bytes.count + 1) == bytes else {
            preconditionFailure("gzip round trip failed")
        }
        do {
            try io.replaceFileAtomically(at: path, contents: compressed, tempSuffix: "new")
        } catch {
            throw StoreError.io(error, "writing archive \(path)")
        }
    }

    private func isOlderThanGrace(_ path: String, nowMs: Int64, graceMs: Int64) throws(StoreError) -> Bool {
        do {
            return try io.modificationTimeMs(at: path) + graceMs <= nowMs
        } catch {
            throw StoreError.io(error, "reading the time of \(path)")
        }
    }
}
