/// What `TenantStore.records` found, and where it stopped when it stopped early.
public struct RecordPage: Sendable {
    public let records: [JournalRecord]
    /// The sequence number of the last line looked at, when the walk stopped at its line budget before it
    /// found `limit` records or reached the head: the next walk starts after it. Nil otherwise.
    public let stoppedAfter: UInt64?
}

extension TenantStore {
    /// Journal lines of the given types after `afterSeq` for which `matching` holds (it runs off the caller's
    /// thread), oldest first, at most `limit`, reading only durable lines. For histories kept in the journal
    /// rather than in memory (the audit log, timelines). At most `linesMax` lines after `afterSeq` are looked at, so a
    /// filter that matches little cannot make one request read a whole history: the page then ends early and
    /// says where (`RecordPage.stoppedAfter`).
    public func records(
        types: Set<String>, afterSeq: UInt64, limit: Int, linesMax: Int = .max,
        matching: @escaping @Sendable (JournalRecord) -> Bool = { _ in true }
    ) async throws(StoreError) -> RecordPage {
        let directory = self.directory
        let io = self.io
        let head = journal.head.seq
        // Nothing is after the head; a cursor past it (forged, or from a restored older copy) reads nothing,
        // and `afterSeq + 1` below cannot overflow.
        guard afterSeq < head else { return RecordPage(records: [], stoppedAfter: nil) }
        return try await BlockingIO.run { () throws(StoreError) -> RecordPage in
            let segments = try SegmentCatalog.list(tenantDirectory: directory, io: io)
            var start = 0
            for (index, segment) in segments.enumerated() where segment.firstSeq <= afterSeq + 1 { start = index }
            var found: [JournalRecord] = []
            var looked = 0
            for segment in segments[start...] where found.count < limit {
                var lines = LineSplitter(bytes: try SegmentCatalog.readBytes(of: segment, io: io))
                while let line = lines.next(), found.count < limit {
                    guard line.isComplete, case .success(let record) = JournalLine.parse(line.bytes) else { continue }
                    guard record.seq <= head else { return RecordPage(records: found, stoppedAfter: nil) }
                    guard record.seq > afterSeq else { continue }
                    if types.contains(record.type) && matching(record) { found.append(record) }
                    looked += 1
                    if looked >= linesMax, found.count < limit, record.seq < head {
                        return RecordPage(records: found, stoppedAfter: record.seq)
                    }
                }
            }
            return RecordPage(records: found, stoppedAfter: nil)
        }
    }

    /// Walks every line's hash and the chain from the first line (archives included) to the head.
    public func verifyChain() async throws(StoreError) -> TenantVerifier.Report {
        let directory = self.directory
        let io = self.io
        let tenantID = self.tenantID
        let head = journal.head.seq
        return try await BlockingIO.run { () throws(StoreError) in
            try TenantVerifier(io: io).verify(
                directory: directory, tenantID: tenantID, as: ChainOnlyState.self, vault: nil, hasManifest: false,
                upTo: head)
        }
    }
}
