import PesaCore
/// The journal segments of one tenant, live (`journal/`) and archived (`archive/`), in sequence order.
///
/// Segment files are named by the sequence number of their first line, zero-padded to 20 digits:
/// `journal/00000000000000000001.jsonl`, `archive/00000000000000000001.jsonl.gz`. Where both exist
/// (a compaction archived a segment and has not yet removed the original), the live one is read.
struct SegmentFile: Sendable, Equatable {
    let firstSeq: UInt64
    let path: String
    let isArchived: Bool
}

enum SegmentCatalog {
    static let journalDirectory = "journal"
    static let archiveDirectory = "archive"
    static let liveSuffix = ".jsonl"
    static let archivedSuffix = ".jsonl.gz"

    static func fileName(firstSeq: UInt64, archived: Bool) -> String {
        let digits = String(firstSeq)
        let padded = String(repeating: "0", count: max(0, 20 - digits.count)) + digits
        return padded + (archived ? archivedSuffix : liveSuffix)
    }

    static func firstSeq(fromFileName name: String, suffix: String) -> UInt64? {
        guard name.hasSuffix(suffix) else { return nil }
        let stem = name.dropLast(suffix.count)
        guard stem.count == 20, stem.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt64(stem)
    }

    /// Every segment, sorted by first sequence number; live segments win over archived ones.
    static func list(tenantDirectory: String, io: any FileIO) throws(StoreError) -> [SegmentFile] {
        var byFirstSeq: [UInt64: SegmentFile] = [:]
        let archive = Paths.join(tenantDirectory, archiveDirectory)
        for name in try names(in: archive, io: io) {
            guard let seq = firstSeq(fromFileName: name, suffix: archivedSuffix) else { continue }
            byFirstSeq[seq] = SegmentFile(firstSeq: seq, path: Paths.join(archive, name), isArchived: true)
        }
        let journal = Paths.join(tenantDirectory, journalDirectory)
        for name in try names(in: journal, io: io) {
            guard let seq = firstSeq(fromFileName: name, suffix: liveSuffix) else { continue }
            byFirstSeq[seq] = SegmentFile(firstSeq: seq, path: Paths.join(journal, name), isArchived: false)
        }
        return byFirstSeq.values.sorted { $0.firstSeq < $1.firstSeq }
    }

    static func readBytes(of segment: SegmentFile, io: any FileIO) throws(StoreError) -> [UInt8] {
        let raw: [UInt8]
        do {
            raw = try io.readFile(at: segment.path)
        } catch {
            throw StoreError.io(error, "reading \(segment.path)")
        }
        guard segment.isArchived else { return raw }
        guard let bytes = Gzip.decompress(raw[...], maxBytes: Limits.archivedSegmentBytesMax) else {
            throw StoreError(.corruptRecord, "\(segment.path): not a valid gzip archive")
        }
        return bytes
    }

    private static func names(in directory: String, io: any FileIO) throws(StoreError) -> [String] {
        guard io.fileKind(at: directory) == .directory else { return [] }
        do {
            return try io.listDirectory(at: directory)
        } catch {
            throw StoreError.io(error, "listing \(directory)")
        }
    }
}
