public import Logging
public import PesaCore

/// One tenant folder opened for writing: its journal (append with group commit), snapshots, compaction
/// and credentials vault. The tenant's engine is its only user.
public final class TenantStore: Sendable {
    public let directory: String
    public let tenantID: String
    public let journal: Journal
    public let io: any FileIO
    let logger: Logger

    /// What start-up found and did.
    public struct OpenReport: Sendable {
        /// The snapshot the state was loaded from (nil: replayed from the first line).
        public var snapshotSeq: UInt64?
        /// Events replayed after the snapshot.
        public var replayedEvents = 0
        /// Snapshots passed over, with why.
        public var skippedSnapshots: [String] = []
        /// A torn tail that was cut off: the quarantine file keeping its bytes.
        public var quarantinedTail: String?
        public var head = JournalPosition(seq: 0, hash: .genesis)
    }

    init(directory: String, tenantID: String, journal: Journal, io: any FileIO, logger: Logger) {
        self.directory = directory
        self.tenantID = tenantID
        self.journal = journal
        self.io = io
        self.logger = logger
    }

    /// Opens a tenant folder: newest usable snapshot, then the journal tail, applying the recovery table.
    /// Throws (and the caller fences the tenant) on any integrity problem other than a torn tail.
    public static func open<State: EventSourcedState>(
        directory: String, tenantID: String, as stateType: State.Type, io: any FileIO, logger: Logger,
        segmentBytesMax: Int = Limits.segmentBytesMax
    ) throws(StoreError) -> (store: TenantStore, state: State, report: OpenReport) {
        var logger = logger
        logger[metadataKey: "tenant"] = "\(tenantID)"
        try removeLeftoverTempFiles(directory: directory, io: io)
        let segments = try SegmentCatalog.list(tenantDirectory: directory, io: io)
        let scanner = JournalScanner(io: io, segments: segments, stopAtFirstProblem: true)
        var report = OpenReport()
        var loaded: (state: State, outcome: JournalScanner.Outcome)?
        for candidate in try SnapshotCatalog.list(tenantDirectory: directory, io: io).reversed() {
            do {
                loaded = try load(candidate, scanner: scanner, as: State.self, io: io)
                report.snapshotSeq = candidate.seq
                break
            } catch let error where error.code == .snapshotInvalid {
                report.skippedSnapshots.append(error.message)
                try setAside(candidate, directory: directory, io: io)
                logger.error(
                    "snapshot not used (moved to quarantine/); trying an older one",
                    metadata: ["reason": "\(error.message)"])
            }
        }
        if loaded == nil { loaded = try replay(from: .genesis, into: State(), scanner: scanner) }
        guard let (state, outcome) = loaded else { preconditionFailure("a replay always yields a state") }
        report.replayedEvents = Int(outcome.lastSeq - (report.snapshotSeq ?? 0))
        if let torn = outcome.tornTail {
            report.quarantinedTail = try cutTornTail(torn, directory: directory, io: io, logger: logger)
        }
        let head = JournalPosition(seq: outcome.lastSeq, hash: outcome.lastHash)
        report.head = head
        let journal = Journal(
            directory: Paths.join(directory, TenantLayout.journal), io: io, durable: head,
            activeSegment: outcome.activeSegment, activeSegmentBytes: outcome.activeSegmentValidBytes,
            segmentBytesMax: segmentBytesMax,
            logger: logger)
        let store = TenantStore(directory: directory, tenantID: tenantID, journal: journal, io: io, logger: logger)
        return (store, state, report)
    }

    private static func load<State: EventSourcedState>(
        _ candidate: SnapshotCatalog.Entry, scanner: JournalScanner, as: State.Type, io: any FileIO
    ) throws(StoreError) -> (State, JournalScanner.Outcome) {
        let (state, header) = try decodeSnapshot(candidate, as: State.self, io: io)
        guard let hash = ChainHash(hexString: header.hash) else {
            throw StoreError(.snapshotInvalid, "\(candidate.path): bad chain hash")
        }
        let anchor = JournalScanner.Anchor(seq: header.seq, hash: hash)
        // `consume`: the replay mutates the only copy, so the decoded columns are never duplicated.
        let (replayed, outcome) = try replay(from: anchor, into: consume state, scanner: scanner)
        if outcome.anchorMatched == false {
            throw StoreError(
                .snapshotInvalid, "\(candidate.path): chain hash at seq \(anchor.seq) differs from the journal's")
        }
        if let end = outcome.journalEndSeq, end < anchor.seq {
            throw StoreError(
                .snapshotInvalid, "\(candidate.path) covers seq \(anchor.seq) but the journal ends at \(end)")
        }
        return (replayed, outcome)
    }

    /// `path`, or `path.1`, `path.2`, ... : the first that is free (quarantine never replaces what it kept).
    private static func freeQuarantinePath(_ path: String, io: any FileIO) -> String {
        guard io.fileKind(at: path) != .missing else { return path }
        var suffix = 1
        while io.fileKind(at: "\(path).\(suffix)") != .missing { suffix += 1 }
        return "\(path).\(suffix)"
    }

    /// Moves an unusable snapshot into `quarantine/` so later starts do not trip on it (nothing is deleted).
    private static func setAside(_ snapshot: SnapshotCatalog.Entry, directory: String, io: any FileIO)
        throws(StoreError)
    {
        let quarantine = Paths.join(directory, TenantLayout.quarantine)
        let target = freeQuarantinePath(Paths.join(quarantine, Paths.fileName(of: snapshot.path) + ".unused"), io: io)
        do {
            try io.createDirectory(at: quarantine)
            try io.rename(from: snapshot.path, to: target)
            try io.syncDirectory(at: quarantine)
            try io.syncDirectory(at: Paths.directory(of: snapshot.path))
        } catch {
            throw StoreError.io(error, "moving \(snapshot.path) to quarantine")
        }
    }

    /// Reads a tenant's state without changing anything on disk (no tail is cut, no journal opened): the
    /// newest usable snapshot plus the good lines after it, up to `seqLimit`. For read-only tools and tests.
    public static func readState<State: EventSourcedState>(
        directory: String, as: State.Type, io: any FileIO, upTo seqLimit: UInt64 = .max
    ) throws(StoreError) -> (state: State, head: JournalPosition) {
        let segments = try SegmentCatalog.list(tenantDirectory: directory, io: io)
        let scanner = JournalScanner(io: io, segments: segments, stopAtFirstProblem: true)
        var state: State?
        var anchor = JournalScanner.Anchor.genesis
        for candidate in try SnapshotCatalog.list(tenantDirectory: directory, io: io).reversed()
        where candidate.seq <= seqLimit {
            guard let file = try? SnapshotCatalog.read(candidate, io: io),
                let hash = ChainHash(hexString: file.header.hash),
                let loaded = try? State(snapshotPayload: file.payload, formatVersion: file.header.stateFormat)
            else { continue }
            state = loaded
            anchor = JournalScanner.Anchor(seq: candidate.seq, hash: hash)
            break
        }
        var current = state ?? State()
        var head = JournalPosition(seq: anchor.seq, hash: anchor.hash)
        _ = try scanner.scan(from: anchor) { (record) throws(StoreError) in
            guard record.seq <= seqLimit else { return }
            do {
                try current.apply(eventType: record.type, data: record.data, seq: record.seq, atMs: record.atMs)
            } catch {
                throw StoreError(.corruptRecord, "seq \(record.seq) (\(record.type)) cannot be applied: \(error)")
            }
            head = JournalPosition(seq: record.seq, hash: record.hash)
        }
        return (current, head)
    }

    /// Reads a snapshot into a state. The file's bytes and payload go out of scope here, so the state (which
    /// may share the payload's storage) holds the only reference and is never copied when it changes.
    private static func decodeSnapshot<State: EventSourcedState>(
        _ candidate: SnapshotCatalog.Entry, as: State.Type, io: any FileIO
    ) throws(StoreError) -> (State, SnapshotHeader) {
        let snapshot = try SnapshotCatalog.read(candidate, io: io)
        do {
            return (
                try State(snapshotPayload: snapshot.payload, formatVersion: snapshot.header.stateFormat),
                snapshot.header
            )
        } catch {
            throw StoreError(.snapshotInvalid, "\(candidate.path): state payload unreadable: \(error)")
        }
    }

    static func replay<State: EventSourcedState>(
        from anchor: JournalScanner.Anchor, into initial: consuming State, scanner: JournalScanner
    ) throws(StoreError) -> (State, JournalScanner.Outcome) {
        var state = initial
        let outcome = try scanner.scan(from: anchor) { (record) throws(StoreError) in
            do {
                try state.apply(eventType: record.type, data: record.data, seq: record.seq, atMs: record.atMs)
            } catch {
                throw StoreError(.corruptRecord, "seq \(record.seq) (\(record.type)) cannot be applied: \(error)")
            }
        }
        return (state, outcome)
    }

    /// Keeps the torn bytes in `quarantine/` (synced) before cutting the segment back to its last good line.
    private static func cutTornTail(
        _ torn: JournalScanner.TornTail, directory: String, io: any FileIO, logger: Logger
    ) throws(StoreError) -> String? {
        let quarantine = Paths.join(directory, TenantLayout.quarantine)
        let name = "\(Paths.fileName(of: torn.segment.path)).\(torn.validBytes).torn"
        var path = Paths.join(quarantine, name)
        do {
            try io.createDirectory(at: quarantine)
            // The same cut kept before (a crash between keeping and cutting) is not kept twice; other bytes
            // torn at the same offset later (a second interrupted write) go beside it, never over it.
            if io.fileKind(at: path) == .missing || (try? io.readFile(at: path)) != torn.cutBytes {
                path = freeQuarantinePath(path, io: io)
                try io.writeNewFile(at: path, contents: torn.cutBytes)
                try io.syncDirectory(at: quarantine)
            }
            let file = try io.openForAppend(at: torn.segment.path, create: false)
            defer { file.close() }
            try file.truncate(to: torn.validBytes)
        } catch {
            throw StoreError.io(error, "cutting the torn tail of \(torn.segment.path)")
        }
        logger.warning(
            "journal had a torn tail (an interrupted write); cut at the last good line, bytes kept",
            metadata: [
                "segment": "\(torn.segment.path)", "line": "\(torn.lineNumber)",
                "cut_bytes": "\(torn.cutBytes.count)", "quarantine": "\(path)",
            ])
        return path
    }

    private static func removeLeftoverTempFiles(directory: String, io: any FileIO) throws(StoreError) {
        for sub in [TenantLayout.snapshots, TenantLayout.archive, ""] {
            let folder = Paths.join(directory, sub)
            guard io.fileKind(at: folder) == .directory else { continue }
            do {
                for name in try io.listDirectory(at: folder) where name.hasPrefix(".tmp-") {
                    try io.removeFile(at: Paths.join(folder, name))
                }
            } catch {
                throw StoreError.io(error, "removing temporary files in \(folder)")
            }
        }
    }

    /// Appends events durably (see `Journal.append`).
    public func append(_ events: [NewEvent]) async throws(StoreError) -> [JournalPosition] {
        try await journal.append(events)
    }

    public func close() async {
        await journal.close()
    }
}
