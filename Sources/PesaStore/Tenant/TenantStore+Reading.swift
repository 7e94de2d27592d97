extension TenantStore {
    /// Journal lines of the given types after `afterSeq` (oldest first, at most `limit`), reading only
    /// durable lines. For histories kept in the journal rather than in memory (the audit log, timelines).
    /// Up to `limit` journal records after `afterSeq`, in order, of one of `types` and for which `matching` holds
    /// (it runs off the caller's thread).
    public func records(
        types: Set<String>, afterSeq: UInt64, limit: Int,
        matching: @escaping @Sendable (JournalRecord) -> Bool = { _ in true }
    ) async throws(StoreError) -> [JournalRecord] {
        let directory = self.directory
        let io = self.io
        let head = journal.head.seq
        // Nothing is after the head; a cursor past it (forged, or from a restored older copy) reads nothing,
        // and `afterSeq + 1` below cannot overflow.
        guard afterSeq < head else { return [] }
        return try await BlockingIO.run { () throws(StoreError) -> [JournalRecord] in
            let segments = try SegmentCatalog.list(tenantDirectory: directory, io: io)
            var start = 0
            for (index, segment) in segments.enumerated() where segment.firstSeq <= afterSeq + 1 { start = index }
            var found: [JournalRecord] = []
            for segment in segments[start...] where found.count < limit {
                var lines = LineSplitter(bytes: try SegmentCatalog.readBytes(of: segment, io: io))
                while let line = lines.next(), found.count < limit {
                    guard line.isComplete, case .success(let record) = JournalLine.parse(line.bytes) else { continue }
                    guard record.seq <= head else { return found }
                    if record.seq > afterSeq && types.contains(record.type) && matching(record) { found.append(record) }
                }
            }
            return found
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
