public import Logging
public import PesaCore

extension TenantStore {
    /// Writes a snapshot of `state`, which must be the state after applying every line up to `position`.
    public func writeSnapshot<State: EventSourcedState>(
        _ state: State, at position: JournalPosition, atMs: Int64
    ) async throws(StoreError) {
        let directory = self.directory
        let io = self.io
        _ = try await BlockingIO.run { () throws(StoreError) in
            try SnapshotCatalog.write(
                tenantDirectory: directory, position: position, atMs: atMs, stateFormat: State.snapshotFormatVersion,
                payload: state.snapshotPayload(), io: io)
        }
        logger.info("snapshot written", metadata: ["seq": "\(position.seq)"])
    }

    /// What a compaction did.
    public struct CompactionReport: Sendable {
        public var snapshotSeq: UInt64?
        /// Segments compressed into `archive/`.
        public var archived: [String] = []
        /// Live segments removed because their archive is older than the grace period.
        public var removed: [String] = []
    }

    /// Moves journal segments wholly covered by the newest snapshot into `archive/`, compressed. A live
    /// segment is removed only on a later run, once its archive is older than `graceMs`, so that a copy
    /// of the folder taken meanwhile still finds every line. History is never deleted.
    public func compact(nowMs: Int64, graceMs: Int64 = Limits.supersededFileGraceMs) async throws(StoreError)
        -> CompactionReport
    {
        let directory = self.directory
        let io = self.io
        return try await BlockingIO.run { () throws(StoreError) in
            try Compactor(tenantDirectory: directory, io: io).run(nowMs: nowMs, graceMs: graceMs)
        }
    }

    // MARK: Credentials vault

    private var vaultPath: String { Paths.join(directory, CredentialVault.fileName) }

    /// The decrypted vault content, or nil when the tenant has none.
    public func readCredentials(with vault: CredentialVault) async throws(StoreError) -> [UInt8]? {
        try await readSealed(at: vaultPath, with: vault)
    }

    /// Encrypts and atomically replaces the vault.
    public func writeCredentials(_ plaintext: [UInt8], with vault: CredentialVault) async throws(StoreError) {
        try await writeSealed(plaintext, at: vaultPath, what: "credentials", with: vault)
    }

    // MARK: Callback token key

    /// The key that seals the organization's callback tokens in its journal, sealed like the vault.
    public static let callbackTokenKeyFileName = "callback-token.key"

    private var callbackTokenKeyPath: String { Paths.join(directory, Self.callbackTokenKeyFileName) }

    /// The callback token key, or nil when the tenant has none (its tokens were journaled before keys existed).
    public func readCallbackTokenKey(with vault: CredentialVault) async throws(StoreError) -> [UInt8]? {
        try await readSealed(at: callbackTokenKeyPath, with: vault)
    }

    /// Writes the callback token key (once: a replaced key could not open the tokens sealed under it).
    public func writeCallbackTokenKey(_ key: [UInt8], with vault: CredentialVault) async throws(StoreError) {
        try await writeSealed(key, at: callbackTokenKeyPath, what: "the callback token key", with: vault)
    }

    private func readSealed(at path: String, with vault: CredentialVault) async throws(StoreError) -> [UInt8]? {
        let io = self.io
        let tenantID = self.tenantID
        return try await BlockingIO.run { () throws(StoreError) -> [UInt8]? in
            try Self.readSealed(at: path, tenantID: tenantID, vault: vault, io: io)
        }
    }

    private func writeSealed(
        _ plaintext: [UInt8], at path: String, what: String, with vault: CredentialVault
    ) async throws(StoreError) {
        let io = self.io
        let sealed = vault.seal(plaintext, tenantID: tenantID)
        guard sealed.count <= Limits.credentialsBytesMax else {
            throw StoreError(.limitExceeded, "\(what) is larger than \(Limits.credentialsBytesMax) bytes")
        }
        _ = try await BlockingIO.run { () throws(StoreError) in
            do throws(FileIOError) {
                try io.replaceFileAtomically(at: path, contents: sealed, tempSuffix: "new")
            } catch {
                throw StoreError.io(error, "writing \(path)")
            }
        }
    }
}

extension TenantStore {
    /// `open` on the store's blocking I/O queue, for async callers (opening a large tenant takes a while).
    public static func openOffThread<State: EventSourcedState>(
        directory: String, tenantID: String, as stateType: State.Type, io: any FileIO, logger: Logger
    ) async throws(StoreError) -> (store: TenantStore, state: State, report: OpenReport) {
        try await BlockingIO.run { () throws(StoreError) in
            try TenantStore.open(directory: directory, tenantID: tenantID, as: State.self, io: io, logger: logger)
        }
    }
}

extension TenantStore {
    /// Snapshots `state` (the state at `position`) and then compacts, on the blocking I/O queue, without
    /// making the caller wait: the engine keeps serving while a large state is encoded and written.
    /// `completion` runs on that queue with the outcome.
    public func snapshotAndCompactInBackground<State: EventSourcedState>(
        _ state: State, at position: JournalPosition, atMs: Int64,
        completion: @escaping @Sendable (Result<CompactionReport, StoreError>) -> Void
    ) {
        let directory = self.directory
        let io = self.io
        let logger = self.logger
        BlockingIO.detachedInBackground {
            let result = Result { () throws(StoreError) -> CompactionReport in
                _ = try SnapshotCatalog.write(
                    tenantDirectory: directory, position: position, atMs: atMs,
                    stateFormat: State.snapshotFormatVersion,
                    payload: state.snapshotPayload(pausing: { Pacing.pause() }), io: io)
                return try Compactor(tenantDirectory: directory, io: io).run(
                    nowMs: atMs, graceMs: Limits.supersededFileGraceMs)
            }
            if case .success(let report) = result {
                logger.info(
                    "automatic snapshot and compaction",
                    metadata: [
                        "seq": "\(position.seq)", "archived": "\(report.archived.count)",
                        "removed": "\(report.removed.count)",
                    ])
            }
            completion(result)
        }
    }
}
