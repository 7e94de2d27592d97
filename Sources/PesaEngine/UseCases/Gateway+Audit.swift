import Foundation
public import PesaCore
import PesaStore

/// One audit log entry, as journaled.
public struct AuditEntry: Sendable, Equatable {
    public let seq: UInt64
    public let atMs: Int64
    public let actor: String
    public let action: String
    public let target: String
    public let requestID: String
    /// The entry's link of the tenant's hash chain.
    public let hash: String
}

/// A page of the audit log.
public struct AuditPage: Sendable, Equatable {
    public let entries: [AuditEntry]
    /// Set when the walk stopped at `Limits.auditLinesScannedMax` before it found a full page or reached the
    /// head (a filter that matches little): the next page starts after this sequence number.
    public let stoppedAfter: UInt64?
}

/// Which audit entries a listing wants: a time range (`fromMs` inclusive, `toMs` exclusive, by the time the
/// entry was journaled), one actor (`usr_…`, `key_…`, `system`) and one action (`payout.create`). Nil: any.
public struct AuditFilter: Sendable, Equatable {
    public var fromMs: Int64?
    public var toMs: Int64?
    public var actor: String?
    public var action: String?

    public init(fromMs: Int64? = nil, toMs: Int64? = nil, actor: String? = nil, action: String? = nil) {
        self.fromMs = fromMs
        self.toMs = toMs
        self.actor = actor
        self.action = action
    }

    func admits(atMs: Int64) -> Bool {
        TimeWindow.contains(atMs, fromMs: fromMs, toMs: toMs)
    }

    func admits(_ entry: AuditEntry) -> Bool {
        admits(atMs: entry.atMs) && (actor.map { entry.actor == $0 } ?? true)
            && (action.map { entry.action == $0 } ?? true)
    }
}

/// The result of walking an organization's hash chain.
public struct AuditVerification: Sendable, Equatable {
    public let ok: Bool
    public let entries: Int64
    public let head: String
    public let problems: [String]
}

extension Gateway {
    /// Audit entries after the cursor (a sequence number) that `filter` admits, oldest first.
    public func auditLog(
        in organization: OrganizationID, after cursor: UInt64, limit: Int, filter: AuditFilter = AuditFilter(),
        by actor: Actor
    ) async throws(EngineError) -> AuditPage {
        try actor.authorize(.readAuditLog, in: organization)
        return try await auditEntries(
            of: try await self.engine(organization), after: cursor, limit: limit, filter: filter)
    }

    /// The instance's own audit log (`system/`: super admins created, their logins and logouts); super_admin only.
    public func systemAuditLog(
        after cursor: UInt64, limit: Int, filter: AuditFilter = AuditFilter(), by actor: Actor
    ) async throws(EngineError) -> AuditPage {
        try Self.requireSuperAdmin(actor)
        return try await auditEntries(of: system, after: cursor, limit: limit, filter: filter)
    }

    /// Walks the hash chain of the instance's own `system/` journal; super_admin only.
    public func verifySystemAuditLog(by actor: Actor) async throws(EngineError) -> AuditVerification {
        try Self.requireSuperAdmin(actor)
        return try await verification(of: system)
    }

    static func requireSuperAdmin(_ actor: Actor) throws(EngineError) {
        guard actor.principal.role == .superAdmin else { throw EngineError(.forbidden, "your role may not do this") }
    }

    private func auditEntries(of engine: TenantEngine, after cursor: UInt64, limit: Int, filter: AuditFilter)
        async throws(EngineError) -> AuditPage
    {
        let page: RecordPage
        do {
            // The time range is checked on the line's own time before its data is decoded.
            page = try await engine.store.records(
                types: ["audit.recorded"], afterSeq: cursor, limit: limit, linesMax: Limits.auditLinesScannedMax
            ) { record in
                guard filter.admits(atMs: record.atMs) else { return false }
                guard filter.actor != nil || filter.action != nil else { return true }
                return Self.auditEntry(record).map(filter.admits) ?? false
            }
        } catch {
            throw EngineError.from(error)
        }
        return AuditPage(entries: page.records.compactMap(Self.auditEntry), stoppedAfter: page.stoppedAfter)
    }

    static func auditEntry(_ record: JournalRecord) -> AuditEntry? {
        guard case .auditRecorded(let audit)? = try? TenantEvent(type: record.type, data: record.data) else {
            return nil
        }
        return AuditEntry(
            seq: record.seq, atMs: record.atMs, actor: audit.actor, action: audit.action, target: audit.target,
            requestID: audit.requestID, hash: record.hash.description)
    }

    /// Walks the organization's whole hash chain.
    public func verifyAuditLog(in organization: OrganizationID, by actor: Actor) async throws(EngineError)
        -> AuditVerification
    {
        try actor.authorize(.verifyAuditLog, in: organization)
        return try await verification(of: try await self.engine(organization))
    }

    private func verification(of engine: TenantEngine) async throws(EngineError) -> AuditVerification {
        let report: TenantVerifier.Report
        do { report = try await engine.store.verifyChain() } catch { throw EngineError.from(error) }
        let entries = try await engine.read { state in state.counters.auditEntries }
        return AuditVerification(
            ok: report.isClean, entries: entries, head: report.head.hash.description,
            problems: report.problems.map(\.description))
    }
}
