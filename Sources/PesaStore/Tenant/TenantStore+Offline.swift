public import PesaCore

/// Reads of a tenant folder for offline commands (`pesa verify`), without opening its journal: they may run
/// beside a server that writes the same folder.
extension TenantStore {
    /// The organization's callback token key, opened with `vault`; nil when the folder has none (its tokens
    /// were journaled before keys existed). Throws when the file cannot be read or does not open.
    public static func readCallbackTokenKey(
        directory: String, tenantID: String, vault: CredentialVault, io: any FileIO
    ) throws(StoreError) -> [UInt8]? {
        try readSealed(at: Paths.join(directory, callbackTokenKeyFileName), tenantID: tenantID, vault: vault, io: io)
    }

    /// The plaintext of the organization's credentials vault, opened with `vault`; nil when it has none.
    public static func readCredentials(
        directory: String, tenantID: String, vault: CredentialVault, io: any FileIO
    ) throws(StoreError) -> [UInt8]? {
        try readSealed(at: Paths.join(directory, CredentialVault.fileName), tenantID: tenantID, vault: vault, io: io)
    }

    /// The plaintext of a sealed file (vault or key file), nil when there is no such file.
    static func readSealed(
        at path: String, tenantID: String, vault: CredentialVault, io: any FileIO
    ) throws(StoreError) -> [UInt8]? {
        guard io.fileKind(at: path) == .regular else { return nil }
        let bytes: [UInt8]
        do throws(FileIOError) {
            bytes = try io.readFile(at: path)
        } catch {
            throw StoreError.io(error, "reading \(path)")
        }
        return try vault.open(bytes, tenantID: tenantID, path: path)
    }
}

/// A tenant's state two ways (`pesa usage rebuild`): replayed from the journal's first line, and as the server
/// holds it, from its newest snapshot and the lines after it.
public struct OfflineStates<State: EventSourcedState>: Sendable {
    public let replayed: State
    public let held: State
    /// The line the newest snapshot covers, nil when there is none (then both states are the same replay).
    public let snapshotSeq: UInt64?
    public let lines: Int
}

extension TenantStore {
    /// Reads a tenant folder without opening its journal for writing (a server may run beside it).
    public static func offlineStates<State: EventSourcedState>(
        directory: String, as: State.Type, io: any FileIO
    ) throws(StoreError) -> OfflineStates<State> {
        var held = State()
        var snapshotSeq: UInt64?
        if let newest = try SnapshotCatalog.list(tenantDirectory: directory, io: io).last {
            let file = try SnapshotCatalog.read(newest, io: io)
            do {
                held = try State(snapshotPayload: file.payload, formatVersion: file.header.stateFormat)
            } catch {
                throw StoreError(.snapshotInvalid, "\(newest.path): \(error)")
            }
            snapshotSeq = newest.seq
        }
        var replayed = State()
        let segments = try SegmentCatalog.list(tenantDirectory: directory, io: io)
        let scanner = JournalScanner(io: io, segments: segments, stopAtFirstProblem: true)
        let outcome = try scanner.scan(from: .genesis) { (record) throws(StoreError) in
            do {
                try replayed.apply(eventType: record.type, data: record.data, seq: record.seq, atMs: record.atMs)
                if record.seq > (snapshotSeq ?? 0) {
                    try held.apply(eventType: record.type, data: record.data, seq: record.seq, atMs: record.atMs)
                }
            } catch {
                throw StoreError(.corruptRecord, "seq \(record.seq) (\(record.type)) cannot be applied: \(error)")
            }
        }
        if let problem = outcome.problems.first { throw StoreError(.corruptRecord, problem.description) }
        return OfflineStates(replayed: replayed, held: held, snapshotSeq: snapshotSeq, lines: outcome.linesRead)
    }
}
