import Logging
import Metrics
import PesaCore

/// The file side of a journal: the live segment, rolling to a new one at the size limit, and cutting
/// back to the last durable byte after a failed write. Used only from the journal's I/O queue.
final class SegmentWriter: @unchecked Sendable {
    private let directory: String
    private let io: any FileIO
    private let logger: Logger
    private var file: (any AppendableFile)?
    private var segment: SegmentFile?
    /// Bytes of the live segment known to be durable.
    private var durableSize: Int
    private var needsRollBack = false
    private let segmentBytesMax: Int
    /// `pesa_journal_fsync_duration_seconds`: how long each journal fdatasync takes (all tenants: it is the disk's).
    private let fsyncDuration = Timer(label: "pesa_journal_fsync_duration_seconds", preferredDisplayUnit: .seconds)

    init(
        directory: String, io: any FileIO, segment: SegmentFile?, durableSize: Int, segmentBytesMax: Int, logger: Logger
    ) {
        self.segmentBytesMax = segmentBytesMax
        self.directory = directory
        self.io = io
        self.segment = segment
        self.durableSize = durableSize
        self.logger = logger
    }

    /// Writes a batch whose first line has `firstSeq`, then syncs. Throws without acknowledging anything.
    func write(_ bytes: [UInt8], firstSeq: UInt64) throws(StoreError) {
        if needsRollBack { try cutBack() }
        if segment == nil || durableSize + bytes.count > segmentBytesMax && durableSize > 0 {
            try roll(to: firstSeq)
        }
        let file = try openFile()
        do {
            try file.append(bytes)
            let started = ContinuousClock.now
            try file.sync()
            let (seconds, attoseconds) = (ContinuousClock.now - started).components
            fsyncDuration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        } catch {
            needsRollBack = true
            throw StoreError.io(error, "appending to \(segment?.path ?? directory)")
        }
        durableSize += bytes.count
    }

    /// Called after a failed write: cuts the segment back to its last durable byte (retried before the next
    /// write if the disk refuses now).
    func rollBack() {
        needsRollBack = true
        do {
            try cutBack()
        } catch {
            logger.warning("journal cut-back failed; will retry before the next write", metadata: ["error": "\(error)"])
        }
    }

    func close() {
        // A cut still owed is tried once more, so that lines answered as failed do not outlive the close.
        if needsRollBack {
            do {
                try cutBack()
            } catch {
                logger.error(
                    "journal cut-back failed at close: lines answered as failed may be read back at the next start",
                    metadata: ["error": "\(error)"])
            }
        }
        file?.close()
        file = nil
    }

    private func cutBack() throws(StoreError) {
        guard needsRollBack else { return }
        guard let segment else {
            needsRollBack = false
            return
        }
        let file = try openFile()
        // Truncated and synced even when the size already looks right: a cut whose sync failed has that size
        // too, and only a successful sync makes it durable.
        do {
            try file.truncate(to: durableSize)
        } catch {
            throw StoreError.io(error, "cutting \(segment.path) back to \(durableSize) bytes")
        }
        needsRollBack = false
    }

    private func openFile() throws(StoreError) -> any AppendableFile {
        if let file { return file }
        guard let segment else { preconditionFailure("no live segment to open") }
        do {
            let opened = try io.openForAppend(at: segment.path, create: true)
            file = opened
            return opened
        } catch {
            throw StoreError.io(error, "opening \(segment.path)")
        }
    }

    private func roll(to firstSeq: UInt64) throws(StoreError) {
        let name = SegmentCatalog.fileName(firstSeq: firstSeq, archived: false)
        let next = SegmentFile(firstSeq: firstSeq, path: Paths.join(directory, name), isArchived: false)
        var created: (any AppendableFile)?
        do {
            try io.createDirectory(at: directory)
            let opened = try io.openForAppend(at: next.path, create: true)
            created = opened
            if opened.size > 0 { try opened.truncate(to: 0) }
            try io.syncDirectory(at: directory)
            file?.close()
            file = opened
        } catch {
            // The new file must not stay behind: the next batch may fit the old segment and go there, and an
            // empty file named for a later line would read as a gap in the sequence at the next start (the
            // tenant fenced, no data lost). It holds nothing acknowledged: its first line is not written yet.
            created?.close()
            try? io.removeFile(at: next.path)
            throw StoreError.io(error, "starting segment \(next.path)")
        }
        segment = next
        durableSize = 0
    }
}
