/// Lists that walk a tenant's journal (the audit log, unmatched callbacks): the cursor is a sequence number,
/// and a walk may stop early (`Limits.auditLinesScannedMax` lines) with a short or empty page.
extension PageRequest {
    /// The sequence number the page starts after: 0 without a cursor; 422 for a cursor that is not one.
    func journalSeqAfter() throws(APIError) -> UInt64 {
        guard let cursor else { return 0 }
        guard let seq = UInt64(cursor.position) else { throw .invalidField("cursor", "cursor is not one of ours") }
        return seq
    }

    /// The next page's cursor, for a walk asked for `limit + 1` entries that found `found` (the last shown at
    /// `lastShownSeq`): after the last shown when there were more, else where a walk that stopped early
    /// stopped, else none.
    func nextJournalCursor(found: Int, lastShownSeq: UInt64?, stoppedAfter: UInt64?) -> PageCursor? {
        found > limit
            ? lastShownSeq.map { PageCursor(position: String($0)) }
            : stoppedAfter.map { PageCursor(position: String($0)) }
    }
}
