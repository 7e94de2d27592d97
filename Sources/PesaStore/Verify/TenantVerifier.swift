public import PesaCore

/// `pesa verify` for one tenant folder: reads every line of every segment (archived and live) from the
/// first, checks each line's hash, the sequence and the chain, replays the events, and checks every
/// snapshot against the replay (chain hash and state, byte for byte) and the vault against the key.
/// It only reads, so it may run beside a server writing the same folder.
public struct TenantVerifier: Sendable {
    public struct Report: Sendable {
        public var tenantID: String
        public var problems: [IntegrityProblem] = []
        public var lines = 0
        public var head = JournalPosition(seq: 0, hash: .genesis)
        /// Snapshots whose chain hash was checked against the journal.
        public var snapshotsChecked = 0
        /// Of those, the ones whose state was also compared with a replay: only snapshots in the state format
        /// this binary writes (an older one was written by an older reducer, so its bytes may differ).
        public var snapshotsCompared = 0
        public var isClean: Bool { problems.isEmpty }
    }

    public let io: any FileIO

    public init(io: any FileIO) {
        self.io = io
    }

    /// `check` looks at the state the whole journal replays into (when it replays): what it returns are
    /// problems of the folder's sealed files (an organization's sealed callback tokens need their key).
    public func verify<State: EventSourcedState>(
        directory: String, tenantID: String, as: State.Type, vault: CredentialVault?, hasManifest: Bool = true,
        upTo seqLimit: UInt64 = .max, progress: (@Sendable (String) -> Void)? = nil,
        check: ((State) -> [String])? = nil
    ) throws(StoreError) -> Report {
        var report = Report(tenantID: tenantID)
        if hasManifest { checkManifest(directory: directory, tenantID: tenantID, into: &report) }
        let snapshots = try SnapshotCatalog.list(tenantDirectory: directory, io: io)
        var expected: [UInt64: (hash: ChainHash, payload: [UInt8], path: String, stateFormat: Int)] = [:]
        for entry in snapshots {
            do {
                let file = try SnapshotCatalog.read(entry, io: io)
                guard let hash = ChainHash(hexString: file.header.hash) else { continue }
                expected[entry.seq] = (hash, file.payload, entry.path, file.header.stateFormat)
            } catch {
                report.problems.append(IntegrityProblem(.snapshot, file: entry.path, line: 0, message: error.message))
            }
        }
        let segments = try SegmentCatalog.list(tenantDirectory: directory, io: io)
        var scanner = JournalScanner(io: io, segments: segments, stopAtFirstProblem: false)
        scanner.seqLimit = seqLimit
        var state = State()
        var replayFailed = false
        var compared = 0
        var stateCompared = 0
        var problems: [IntegrityProblem] = []
        let outcome = try scanner.scan(from: .genesis) { (record) throws(StoreError) in
            if record.seq % 100_000 == 0 { progress?("\(tenantID): \(record.seq) lines checked") }
            if !replayFailed {
                do {
                    try state.apply(eventType: record.type, data: record.data, seq: record.seq, atMs: record.atMs)
                } catch {
                    replayFailed = true
                    problems.append(IntegrityProblem(
                        .corrupt, file: directory, line: 0, seq: record.seq,
                        message: "seq \(record.seq) (\(record.type)) cannot be applied: \(error)"))
                }
            }
            guard let snapshot = expected[record.seq] else { return }
            compared += 1
            if snapshot.hash != record.hash {
                problems.append(IntegrityProblem(
                    .snapshot, file: snapshot.path, line: 0,
                    message: "chain hash at seq \(record.seq) differs from the journal's"))
            } else if !replayFailed, snapshot.stateFormat == State.snapshotFormatVersion {
                stateCompared += 1
                if state.snapshotPayload() != snapshot.payload {
                    problems.append(IntegrityProblem(
                        .snapshot, file: snapshot.path, line: 0,
                        message: "state disagrees with a replay of the journal up to seq \(record.seq)"))
                }
            } else if !replayFailed,
                let older = try? State(snapshotPayload: snapshot.payload, formatVersion: snapshot.stateFormat)
            {
                // An older format's state was made by an older binary's rules, and the server went on from it:
                // later snapshots are compared with a replay from it, not from the journal's start.
                state = older
            }
        }
        report.problems += outcome.problems + problems
        if let torn = outcome.tornTail {
            report.problems.append(IntegrityProblem(
                .corrupt, file: torn.segment.path, line: torn.lineNumber,
                message: "torn tail: \(torn.cutBytes.count) bytes after the last good line (cut at the next start)"))
        }
        for (seq, snapshot) in expected where seq > outcome.lastSeq && seq <= seqLimit {
            report.problems.append(IntegrityProblem(
                .snapshot, file: snapshot.path, line: 0, message: "covers seq \(seq) beyond the journal's end"))
        }
        report.snapshotsChecked = compared
        report.snapshotsCompared = stateCompared
        report.lines = outcome.linesRead
        report.head = JournalPosition(seq: outcome.lastSeq, hash: outcome.lastHash)
        if let vault { checkVault(directory: directory, tenantID: tenantID, vault: vault, into: &report) }
        if !replayFailed, let check {
            for message in check(state) {
                report.problems.append(IntegrityProblem(.vault, file: directory, line: 0, message: message))
            }
        }
        return report
    }

    private func checkManifest(directory: String, tenantID: String, into report: inout Report) {
        let path = Paths.join(directory, TenantManifest.fileName)
        guard io.fileKind(at: path) == .regular else {
            report.problems.append(IntegrityProblem(.manifest, file: path, line: 0, message: "missing"))
            return
        }
        do {
            let bytes = try io.readFile(at: path)
            let manifest = try TenantManifest.decode(bytes, path: path)
            if manifest.id != tenantID {
                report.problems.append(IntegrityProblem(
                    .manifest, file: path, line: 0, message: "names tenant \(manifest.id), expected \(tenantID)"))
            }
        } catch {
            report.problems.append(IntegrityProblem(.manifest, file: path, line: 0, message: "\(error)"))
        }
    }

    /// The sealed files (credentials vault, callback token key) open with the master key.
    private func checkVault(directory: String, tenantID: String, vault: CredentialVault, into report: inout Report) {
        for name in KeyRotation.sealedFileNames {
            let path = Paths.join(directory, name)
            guard io.fileKind(at: path) == .regular else { continue }
            do {
                _ = try vault.open(try io.readFile(at: path), tenantID: tenantID, path: path)
            } catch let error as StoreError {
                report.problems.append(IntegrityProblem(.vault, file: path, line: 0, message: error.message))
            } catch {
                report.problems.append(IntegrityProblem(.vault, file: path, line: 0, message: "\(error)"))
            }
        }
    }
}
