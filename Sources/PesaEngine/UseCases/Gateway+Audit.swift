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

/// The result of walking an organization's hash chain.
public struct AuditVerification: Sendable, Equatable {
    public let ok: Bool
    public let entries: Int64
    public let head: String
    public let problems: [String]
}

extension Gateway {
    /// Audit entries after the cursor (a sequence number), oldest first.
    public func auditLog(in organization: OrganizationID, after cursor: UInt64, limit: Int, by actor: Actor)
        async throws(EngineError) -> [AuditEntry]
    {
        try actor.authorize(.readAuditLog, in: organization)
        return try await auditEntries(of: try await self.engine(organization), after: cursor, limit: limit)
    }

    /// The instance's own audit log (`system/`: super admins created, their logins and logouts); super_admin only.
    public func systemAuditLog(after cursor: UInt64, limit: Int, by actor: Actor) async throws(EngineError)
        -> [AuditEntry]
    {
        try Self.requireSuperAdmin(actor)
        return try await auditEntries(of: system, after: cursor, limit: limit)
    }

    /// Walks the hash chain of the instance's own `system/` journal; super_admin only.
    public func verifySystemAuditLog(by actor: Actor) async throws(EngineError) -> AuditVerification {
        try Self.requireSuperAdmin(actor)
        return try await verification(of: system)
    }

    static func requireSuperAdmin(_ actor: Actor) throws(EngineError) {
        guard actor.principal.role == .superAdmin else { throw EngineError(.forbidden, "your role may not do this") }
    }

    private func auditEntries(of engine: TenantEngine, after cursor: UInt64, limit: Int) async throws(EngineError)
        -> [AuditEntry]
    {
        let records: [JournalRecord]
        do {
            records = try await engine.store.records(types: ["audit.recorded"], afterSeq: cursor, limit: limit)
        } catch {
            throw EngineError.from(error)
        }
        return records.compactMap { record in
            guard case .auditRecorded(let audit)? = try? TenantEvent(type: record.type, data: record.data) else { return nil }
            return AuditEntry(
                seq: record.seq, atMs: record.atMs, actor: audit.actor, action: audit.action, target: audit.target,
                requestID: audit.requestID, hash: record.hash.description)
        }
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
