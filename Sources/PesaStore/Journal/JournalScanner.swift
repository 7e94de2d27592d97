/// Reads a tenant's segments line by line and applies the recovery decision table
/// (data-layout.md, "Recovery"). The same walk serves start-up (stop at the first problem) and
/// `pesa verify` (report every problem and carry on).
///
/// | where                            | what is found                                        | decision            |
/// |----------------------------------|------------------------------------------------------|---------------------|
/// | last segment, from some line on  | lines that do not parse or fail their hash, and no   | torn tail: cut at   |
/// |                                  | valid line after them                                | the last good line, |
/// |                                  |                                                      | keep the cut bytes  |
/// |                                  |                                                      | in quarantine/      |
/// | anywhere else                    | a line that does not parse or fails its hash          | corrupt: fence      |
/// | anywhere                         | a valid line whose seq is not the next one            | sequence gap: fence |
/// | anywhere                         | a valid line whose prev is not the last line's hash   | chain broken: fence |
/// | anywhere                         | a valid line whose data is not canonical JSON         | corrupt: fence      |
/// | anywhere                         | a line or segment of a newer format version           | refuse: fence       |
/// | the line a snapshot names        | its hash differs from the snapshot's                  | snapshot unusable:  |
/// |                                  |                                                      | try an older one    |
struct JournalScanner {
    struct Anchor: Sendable {
        /// Sequence number already covered (0 = nothing, start at genesis).
        let seq: UInt64
        /// Chain hash at `seq` (genesis hash for 0).
        let hash: ChainHash

        static let genesis = Anchor(seq: 0, hash: .genesis)
    }

    struct TornTail: Sendable {
        let segment: SegmentFile
        let validBytes: Int
        let cutBytes: [UInt8]
        let lineNumber: Int
    }

    struct Outcome: Sendable {
        var lastSeq: UInt64
        var lastHash: ChainHash
        var tornTail: TornTail?
        var problems: [IntegrityProblem] = []
        /// The live segment to append to, and how many of its bytes are good.
        var activeSegment: SegmentFile?
        var activeSegmentValidBytes = 0
        /// Whether the anchor's line was seen and matched (nil: not in the segments read).
        var anchorMatched: Bool?
        var linesRead = 0
        /// Sequence number of the last good line read; nil when no line was read, unless the walk began in the
        /// segment that should hold the anchor's line (then the line before that segment's first).
        var journalEndSeq: UInt64?
    }

    let io: any FileIO
    let segments: [SegmentFile]
    /// Stop at the first problem (start-up) or report them all (`verify`).
    let stopAtFirstProblem: Bool
    /// Read no further than this sequence number (lines after it may still be being written).
    var seqLimit: UInt64 = .max

    /// Walks the segments from the one holding `anchor.seq + 1`, verifying every line, and passes each
    /// line with a sequence number above the anchor to `visit`.
    func scan(
        from anchor: Anchor,
        visit: (JournalRecord) throws(StoreError) -> Void
    ) throws(StoreError) -> Outcome {
        var outcome = Outcome(lastSeq: anchor.seq, lastHash: anchor.hash)
        guard let startIndex = startSegmentIndex(for: anchor) else { return outcome }
        var state = WalkState(expectedSeq: segments[startIndex].firstSeq, expectedPrev: nil, anchor: anchor)
        if state.expectedSeq == anchor.seq + 1 { state.expectedPrev = anchor.hash }
        if segments[startIndex].firstSeq > anchor.seq + 1 {
            let message = "lines \(anchor.seq + 1)...\(segments[startIndex].firstSeq - 1) are missing"
            try report(
                &outcome, IntegrityProblem(.sequenceGap, file: segments[startIndex].path, line: 0, message: message))
        }
        for index in startIndex..<segments.count where state.expectedSeq <= seqLimit {
            let segment = segments[index]
            let isLast = index == segments.count - 1
            let bytes = try SegmentCatalog.readBytes(of: segment, io: io)
            try scanSegment(segment, bytes: bytes, isLast: isLast, state: &state, outcome: &outcome, visit: visit)
        }
        if outcome.linesRead > 0 && state.lastHash != nil { outcome.journalEndSeq = state.expectedSeq - 1 }
        // The walk began in a segment holding the anchor's line but never reached it (a copy that caught that
        // segment empty or torn, and a snapshot taken later): the journal ends before the anchor, so the
        // snapshot covers lines the journal lacks. Said so, the snapshot is set aside.
        if outcome.journalEndSeq == nil, segments[startIndex].firstSeq <= anchor.seq,
            state.expectedSeq <= anchor.seq
        {
            outcome.journalEndSeq = state.expectedSeq - 1
        }
        outcome.lastSeq = max(anchor.seq, state.expectedSeq - 1)
        if let last = state.lastHash, state.expectedSeq - 1 > anchor.seq { outcome.lastHash = last }
        outcome.anchorMatched = state.anchorMatched
        return outcome
    }

    private func startSegmentIndex(for anchor: Anchor) -> Int? {
        guard !segments.isEmpty else { return nil }
        var start = 0
        for (index, segment) in segments.enumerated() where segment.firstSeq <= anchor.seq + 1 {
            start = index
        }
        // Prefer starting at the anchor's own line so it can be checked against the snapshot.
        if anchor.seq > 0, start > 0, segments[start].firstSeq == anchor.seq + 1 { start -= 1 }
        return start
    }

    private struct WalkState {
        var expectedSeq: UInt64
        var expectedPrev: ChainHash?
        var lastHash: ChainHash?
        let anchor: Anchor
        var anchorMatched: Bool?
    }

    private func scanSegment(
        _ segment: SegmentFile, bytes: [UInt8], isLast: Bool, state: inout WalkState, outcome: inout Outcome,
        visit: (JournalRecord) throws(StoreError) -> Void
    ) throws(StoreError) {
        if segment.firstSeq != state.expectedSeq {
            let message = "segment starts at seq \(segment.firstSeq), expected \(state.expectedSeq)"
            try report(&outcome, IntegrityProblem(.sequenceGap, file: segment.path, line: 0, message: message))
            state.expectedSeq = segment.firstSeq
            state.expectedPrev = nil
        }
        var lines = LineSplitter(bytes: bytes)
        var lineNumber = 0
        var goodEnd = 0
        while state.expectedSeq <= seqLimit, let line = lines.next() {
            lineNumber += 1
            outcome.linesRead += 1
            let parsed: Result<JournalRecord, JournalLine.ParseFailure> =
                line.isComplete ? JournalLine.parse(line.bytes) : .failure(.malformed("no newline at the end"))
            switch parsed {
            case .failure(.newerFormat(let version)):
                throw StoreError.newerFormat(
                    "\(segment.path) line \(lineNumber)", found: version, known: JournalLine.formatVersion)
            case .failure(let failure):
                if isLast && !segment.isArchived && !Self.anyValidLine(after: line.end, in: bytes) {
                    outcome.tornTail = TornTail(
                        segment: segment, validBytes: goodEnd, cutBytes: Array(bytes[goodEnd...]),
                        lineNumber: lineNumber)
                    outcome.activeSegment = segment
                    outcome.activeSegmentValidBytes = goodEnd
                    return
                }
                let what = failure == .hashMismatch ? "hash does not match the line" : "unreadable line (\(failure))"
                try report(&outcome, IntegrityProblem(.corrupt, file: segment.path, line: lineNumber, message: what))
                state.expectedPrev = nil
                state.expectedSeq += 1
            case .success(let record):
                try check(record, at: lineNumber, in: segment, state: &state, outcome: &outcome)
                if !CanonicalJSON.isCanonicalObject(record.data) {
                    let message = "data is not canonical JSON (its hash matches: written or re-hashed elsewhere)"
                    let problem = IntegrityProblem(
                        .corrupt, file: segment.path, line: lineNumber, seq: record.seq, message: message)
                    try report(&outcome, problem)
                }
                if record.seq > state.anchor.seq { try visit(record) }
                goodEnd = line.end
            }
        }
        if isLast && !segment.isArchived {
            outcome.activeSegment = segment
            outcome.activeSegmentValidBytes = goodEnd
        }
    }

    private func check(
        _ record: JournalRecord, at lineNumber: Int, in segment: SegmentFile, state: inout WalkState,
        outcome: inout Outcome
    ) throws(StoreError) {
        if record.seq != state.expectedSeq {
            let message =
                "seq \(record.seq) where \(state.expectedSeq) was expected (a line is missing or out of order)"
            try report(
                &outcome,
                IntegrityProblem(.sequenceGap, file: segment.path, line: lineNumber, seq: record.seq, message: message))
        } else if let expected = state.expectedPrev, record.prev != expected {
            let message = "prev does not match the hash of seq \(record.seq - 1): the hash chain is broken"
            try report(
                &outcome,
                IntegrityProblem(.chainBroken, file: segment.path, line: lineNumber, seq: record.seq, message: message))
        }
        if record.seq == state.anchor.seq && state.anchor.seq > 0 {
            state.anchorMatched = record.hash == state.anchor.hash
            if stopAtFirstProblem && record.hash != state.anchor.hash {
                throw StoreError(
                    .snapshotInvalid,
                    "the snapshot's chain hash at seq \(record.seq) differs from \(segment.path) line \(lineNumber)")
            }
        }
        state.expectedSeq = record.seq + 1
        state.expectedPrev = record.hash
        state.lastHash = record.hash
    }

    private func report(_ outcome: inout Outcome, _ problem: IntegrityProblem) throws(StoreError) {
        if stopAtFirstProblem {
            throw StoreError(problem.kind.storeCode, problem.description)
        }
        outcome.problems.append(problem)
    }

    private static func anyValidLine(after offset: Int, in bytes: [UInt8]) -> Bool {
        var lines = LineSplitter(bytes: bytes, from: offset)
        while let line = lines.next() {
            if case .success = JournalLine.parse(line.bytes) { return true }
        }
        return false
    }
}

/// One integrity problem, named by file and line (1-based; 0 when it concerns the whole file).
public struct IntegrityProblem: Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        case corrupt, sequenceGap, chainBroken, snapshot, vault, manifest

        var storeCode: StoreError.Code {
            switch self {
            case .corrupt, .manifest: .corruptRecord
            case .sequenceGap: .sequenceGap
            case .chainBroken: .chainBroken
            case .snapshot: .snapshotInvalid
            case .vault: .vaultDamaged
            }
        }
    }

    public let kind: Kind
    public let file: String
    public let line: Int
    public let seq: UInt64?
    public let message: String

    public init(_ kind: Kind, file: String, line: Int, seq: UInt64? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.seq = seq
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// Splits bytes at `\n`; the last piece may lack its newline (`isComplete == false`).
struct LineSplitter {
    struct Line {
        let bytes: ArraySlice<UInt8>
        /// Offset just past the line's newline (or its last byte when incomplete).
        let end: Int
        let isComplete: Bool
    }

    let bytes: [UInt8]
    var offset: Int

    init(bytes: [UInt8], from offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    mutating func next() -> Line? {
        guard offset < bytes.count else { return nil }
        let start = offset
        if let newline = bytes[start...].firstIndex(of: 0x0a) {
            offset = newline + 1
            return Line(bytes: bytes[start..<newline], end: newline + 1, isComplete: true)
        }
        offset = bytes.count
        return Line(bytes: bytes[start...], end: bytes.count, isComplete: false)
    }
}
