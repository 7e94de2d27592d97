import Foundation
public import PesaCore
import PesaStore

/// The vault's content: the current credentials and the one before, so that a change whose journal
/// event failed leaves the recorded version readable.
struct VaultContent: Codable {
    var credentials: [MpesaCredentials]
}

/// What `GET /v1/mpesa-credentials` shows: masked hints, never a secret.
public struct CredentialsView: Sendable, Equatable {
    public let record: CredentialsRecord
}

extension Gateway {
    /// Stores new credentials in the vault, then records the change (masked) in the journal.
    public func putCredentials(_ input: MpesaCredentialsInput, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> CredentialsView
    {
        try actor.authorize(.updateCredentials, in: organization)
        let engine = try await self.engine(organization)
        guard engine.beginCredentialsUpdate() else {
            throw EngineError(.conflict, "another credentials update of this organization is in progress; retry")
        }
        defer { engine.endCredentialsUpdate() }
        let current = try await engine.read { state in state.credentials?.version ?? 0 }
        let credentials = try input.validated(version: current + 1)
        var content = try await vaultContent(engine)
        content.credentials = [credentials] + content.credentials.filter { $0.version == current }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try await engine.store.writeCredentials(Array(try encoder.encode(content)), with: vault)
        } catch let error as StoreError {
            throw EngineError.from(error)
        } catch {
            throw EngineError(.storageUnavailable, "credentials could not be encoded")
        }
        let event = TenantEvent.credentialsUpdated(.init(
            version: credentials.version, environment: credentials.environment,
            businessShortCode: credentials.businessShortCode, hints: credentials.hints))
        try await engine.execute { (state, _) throws(EngineError) in
            guard (state.credentials?.version ?? 0) == current else {
                throw EngineError(.conflict, "the credentials changed meanwhile; retry")
            }
            return Decision(
                events: [event, actor.audit("credentials.update", target: credentials.environment)], value: ())
        }
        engine.credentialsChanged()
        return try await credentialsView(in: organization, by: actor)
    }

    public func credentialsView(in organization: OrganizationID, by actor: Actor) async throws(EngineError)
        -> CredentialsView
    {
        try actor.authorize(.readCredentials, in: organization)
        return try await engine(organization).read { (state) throws(EngineError) in
            guard let record = state.credentials else { throw EngineError.notFound("M-Pesa credentials") }
            return CredentialsView(record: record)
        }
    }

    /// The organization's current credentials from the vault (for Daraja calls). Never shown to anyone.
    public func credentials(for organization: OrganizationID) async throws(EngineError) -> MpesaCredentials {
        let engine = try await self.engine(organization)
        // Read before the vault: a change after this point bumps it, so a stale entry is never used.
        let generation = engine.credentialsGeneration
        if let cached = engine.cachedCredentials(generation: generation) { return cached }
        guard let version = try await engine.read({ state in state.credentials?.version }) else {
            throw EngineError(
                .credentialsMissing, "this organization has no M-Pesa credentials: PUT /v1/mpesa-credentials")
        }
        guard let credentials = try await vaultContent(engine).credentials.first(where: { $0.version == version })
        else {
            throw EngineError(.credentialsMissing, "the stored M-Pesa credentials are incomplete: PUT them again")
        }
        engine.cacheCredentials(credentials, generation: generation)
        return credentials
    }

    private func vaultContent(_ engine: TenantEngine) async throws(EngineError) -> VaultContent {
        let bytes: [UInt8]?
        do {
            bytes = try await engine.store.readCredentials(with: vault)
        } catch {
            throw EngineError.from(error)
        }
        guard let bytes else { return VaultContent(credentials: []) }
        guard let content = try? JSONDecoder().decode(VaultContent.self, from: Data(bytes)) else {
            throw EngineError(.tenantUnavailable, "the credentials vault holds unreadable content")
        }
        return content
    }
}
