import Foundation
import PesaCore
import PesaStore

extension Gateway {
    /// The profile a request uses: the one it names in `field` (number or `sc_…` id), else the organization's
    /// default for `use`. Naming a short code the organization does not hold, or one that cannot serve `use`,
    /// is a 422 naming `field`.
    func shortCodeProfile(
        for organization: OrganizationID, named name: String?, use: ShortCodeUse, field: String = "short_code"
    ) async throws(EngineError) -> ShortCodeProfile {
        let engine = try await self.engine(organization)
        let record = try await engine.read { (state) throws(EngineError) in
            try Self.shortCodeRecord(in: state, named: name, use: use, field: field)
        }
        return try await profile(record, engine: engine)
    }

    /// The default collecting profile with its secrets (tests and the demo organization).
    func credentials(for organization: OrganizationID) async throws(EngineError) -> ShortCodeProfile {
        try await shortCodeProfile(for: organization, named: nil, use: .stkPush)
    }

    static func shortCodeRecord(in state: TenantState, named name: String?, use: ShortCodeUse, field: String)
        throws(EngineError) -> ShortCodeRecord
    {
        if let name = name?.trimmingWhitespace(), !name.isEmpty {
            guard let record = state.activeShortCode(named: name) else {
                throw EngineError.invalid(field, "this organization holds no short code \"\(name)\"")
            }
            if let refusal = use.refusal(of: record) { throw EngineError.invalid(field, refusal) }
            return record
        }
        guard let record = state.defaultShortCode(for: use.paymentType) else {
            throw EngineError(
                .credentialsMissing,
                state.activeShortCodes.isEmpty
                    ? "this organization has no M-Pesa short codes: POST /v1/short-codes (or PUT /v1/mpesa-credentials)"
                    : "this organization has no default short code for this request: name one in \(field), or make "
                        + "one the default (PATCH /v1/short-codes/{id} {\"default\": true})")
        }
        if let refusal = use.refusal(of: record) {
            throw EngineError(.credentialsMissing, "the default short code cannot serve this request: \(refusal)")
        }
        return record
    }

    /// A payment's own profile (reconciliation, reversal, receipt lookups), deleted or not.
    func shortCodeProfile(id: ShortCodeID, in organization: OrganizationID) async throws(EngineError)
        -> ShortCodeProfile
    {
        let engine = try await self.engine(organization)
        let record = try await engine.read { (state) throws(EngineError) in
            guard let record = state.shortCodes[id] else { throw EngineError.notFound("short code") }
            return record
        }
        return try await profile(record, engine: engine)
    }

    /// The record with the secrets of its version from the vault.
    func profile(_ record: ShortCodeRecord, engine: TenantEngine) async throws(EngineError) -> ShortCodeProfile {
        let secrets = try await vaultSecrets(engine)
        guard let match = secrets.first(where: { $0.shortCodeID == record.id && $0.version == record.version }) else {
            throw EngineError(
                .credentialsMissing,
                "the stored secrets of short code \(record.shortCode) (\(record.id)) are missing: save them again")
        }
        return ShortCodeProfile(record: record, secrets: match)
    }

    /// Every profile's secrets in the vault, cached until the next change.
    func vaultSecrets(_ engine: TenantEngine) async throws(EngineError) -> [ShortCodeSecrets] {
        // Read before the vault: a change after this point bumps it, so a stale entry is never used.
        let generation = engine.credentialsGeneration
        if let cached = engine.cachedSecrets(generation: generation) { return cached }
        let secrets = try await vaultContent(engine).allSecrets
        engine.cacheSecrets(secrets, generation: generation)
        return secrets
    }

    func vaultContent(_ engine: TenantEngine) async throws(EngineError) -> VaultContent {
        let bytes: [UInt8]?
        do {
            bytes = try await engine.store.readCredentials(with: vault)
        } catch {
            throw EngineError.from(error)
        }
        guard let bytes else { return VaultContent(profiles: []) }
        switch VaultContent.read(bytes) {
        case .content(let content): return content
        case .newer(let format):
            throw EngineError(
                .tenantUnavailable, "the credentials vault was written by a newer pesa (format \(format)): upgrade pesa"
            )
        case .unreadable:
            throw EngineError(.tenantUnavailable, "the credentials vault holds unreadable content")
        }
    }

    /// Writes the vault's plaintext (under the organization's vault lock, `withShortCodeLock`).
    func writeVault(_ content: VaultContent, engine: TenantEngine) async throws(EngineError) {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let bytes = Array(try encoder.encode(content))
            guard bytes.count <= Limits.credentialsBytesMax * 3 / 4 else {
                throw EngineError(.tooLarge, "the organization's secrets no longer fit the credentials vault")
            }
            try await engine.store.writeCredentials(bytes, with: vault)
        } catch let error as StoreError {
            throw EngineError.from(error)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.storageUnavailable, "credentials could not be encoded")
        }
        engine.credentialsChanged()
    }

    /// One profile to save: its journal event and, when its secrets change, the new ones.
    struct ShortCodeChange: Sendable {
        var event: TenantEvent.ShortCodeSaved
        var secrets: ShortCodeSecrets?
        var audit: String
    }

    /// Saves profiles: the new secrets into the vault first (keeping every profile's recorded version and the
    /// one before), then the journal events with their audit entries, checked against the versions read at
    /// the start. One change of an organization's profiles at a time.
    func saveShortCodes(
        _ changes: [ShortCodeChange], in organization: OrganizationID, by actor: Actor, engine: TenantEngine,
        read versions: [ShortCodeID: Int64], preceding: [TenantEvent] = []
    ) async throws(EngineError) {
        let secrets = changes.compactMap(\.secrets)
        if !secrets.isEmpty {
            let recorded = try await engine.read { state in
                state.shortCodes.filter { !$0.value.isDeleted }.mapValues(\.version)
            }
            let kept = try await vaultSecrets(engine).filter { old in
                guard let version = recorded[old.shortCodeID] else { return false }
                // The recorded version, and for a profile that changes now, the one it replaces.
                return old.version == version && !secrets.contains { $0.shortCodeID == old.shortCodeID
                    && $0.version == old.version }
            }
            let webhookSecrets = try await vaultContent(engine).webhookSecrets
            try await writeVault(VaultContent(profiles: secrets + kept, webhookSecrets: webhookSecrets), engine: engine)
        }
        var events = preceding
        for change in changes {
            events.append(.shortCodeSaved(change.event))
            events.append(actor.audit(change.audit, target: Self.auditTarget(change.event)))
        }
        let frozenEvents = events
        try await engine.execute { (state, _) throws(EngineError) in
            for (id, version) in versions where state.shortCodes[id]?.version != version {
                throw EngineError(.conflict, "short code \(id) changed meanwhile; retry")
            }
            return Decision(events: frozenEvents, value: ())
        }
        engine.credentialsChanged()
    }

    /// The audit target of a profile change: its id and masked values, never a secret.
    static func auditTarget(_ event: TenantEvent.ShortCodeSaved) -> String {
        var parts = [event.shortCodeID.rawValue, "short_code=\(event.shortCode)", "kind=\(event.kind.rawValue)",
                     "environment=\(event.environment)", "default=\(event.isDefault)", "version=\(event.version)"]
        if let till = event.tillNumber { parts.append("till_number=\(till)") }
        for field in event.hints.keys.sorted() { parts.append("\(field)=\(event.hints[field] ?? "")") }
        return parts.joined(separator: " ")
    }
}
