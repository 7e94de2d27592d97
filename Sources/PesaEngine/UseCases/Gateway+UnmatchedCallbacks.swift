public import PesaCore
import PesaStore

/// A Daraja callback that settled nothing because it named no payment of the organization (`orphan`) or could
/// not be read (`malformed`: a C2B confirmation whose TransAmount is unreadable, say), as journaled: the money
/// it may describe is never dropped without a trace, and a person can act on it.
public struct UnmatchedCallback: Sendable, Equatable {
    public let seq: UInt64
    public let atMs: Int64
    public let kind: CallbackKind
    public let disposition: TenantEvent.CallbackDisposition
    /// The body as Daraja sent it.
    public let body: String
}

/// A page of unmatched callbacks, oldest first.
public struct UnmatchedCallbackPage: Sendable, Equatable {
    public let callbacks: [UnmatchedCallback]
    /// Set when the walk stopped at `Limits.auditLinesScannedMax` lines: the next page starts after it.
    public let stoppedAfter: UInt64?
}

extension Gateway {
    /// The organization's orphan and malformed callbacks after `cursor` (a sequence number), oldest first;
    /// `disposition` keeps one of the two.
    public func unmatchedCallbacks(
        in organization: OrganizationID, after cursor: UInt64, limit: Int,
        disposition: TenantEvent.CallbackDisposition? = nil, by actor: Actor
    ) async throws(EngineError) -> UnmatchedCallbackPage {
        try actor.authorize(.listUnmatchedCallbacks, in: organization)
        let engine = try await self.engine(organization)
        let wanted: Set<TenantEvent.CallbackDisposition> = disposition.map { [$0] } ?? [.orphan, .malformed]
        let page: RecordPage
        do {
            page = try await engine.store.records(
                types: ["callback.received"], afterSeq: cursor, limit: limit, linesMax: Limits.auditLinesScannedMax
            ) { record in
                Self.unmatchedCallback(record).map { wanted.contains($0.disposition) } ?? false
            }
        } catch {
            throw EngineError.from(error)
        }
        return UnmatchedCallbackPage(
            callbacks: page.records.compactMap(Self.unmatchedCallback), stoppedAfter: page.stoppedAfter)
    }

    static func unmatchedCallback(_ record: JournalRecord) -> UnmatchedCallback? {
        guard case .callbackReceived(let callback)? = try? TenantEvent(type: record.type, data: record.data),
            callback.disposition == .orphan || callback.disposition == .malformed
        else { return nil }
        return UnmatchedCallback(
            seq: record.seq, atMs: record.atMs, kind: callback.kind, disposition: callback.disposition,
            body: callback.body)
    }
}
