import DarajaClient
public import PesaCore

/// What `POST /v1/short-codes/{id}/verify` answers.
public struct ShortCodeCheck: Sendable, Equatable {
    public let ok: Bool
    public let checkedAtMs: Int64
    /// Daraja's own text when it refused the keys.
    public let error: String?
}

extension Gateway {
    /// Creates a profile: its secrets into the vault, then `short_code.saved`. The first profile of a kind is
    /// that kind's default unless the input says otherwise. A production short code must not be another
    /// organization's on this instance.
    public func createShortCode(_ input: ShortCodeInput, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> ShortCodeRecord
    {
        try actor.authorize(.createShortCode, in: organization)
        let id = ShortCodeID(randomBytes: CommandContext.randomBytes(16))
        let engine = try await self.engine(organization)
        return try await withShortCodeLock(engine) { () async throws(EngineError) in
            let hasDefault = try await engine.read { state in
                Set(state.activeShortCodes.filter(\.isDefault).map(\.kind))
            }
            let kind = ShortCodeInput.clean(input.kind).flatMap(ShortCodeKind.init(rawValue:))
            let made = try input.validated(
                id: id, existing: nil, makeDefault: kind.map { !hasDefault.contains($0) } ?? false)
            try await engine.read { (state) throws(EngineError) in try Self.checkNumberFree(made.event, in: state) }
            try await claimingWhileSaving([made.event], for: organization) { () async throws(EngineError) in
                try await saveShortCodes(
                    [ShortCodeChange(event: made.event, secrets: made.secrets, audit: "short_code.create")],
                    in: organization, by: actor, engine: engine, read: [:])
            }
            return try await shortCode(id, engine: engine)
        }
    }

    public func shortCodes(in organization: OrganizationID, includeDeleted: Bool, by actor: Actor)
        async throws(EngineError) -> [ShortCodeRecord]
    {
        try actor.authorize(.listShortCodes, in: organization)
        return try await engine(organization).read { state in
            state.shortCodes.values.filter { includeDeleted || !$0.isDeleted }
                .sorted { ($0.createdAtMs, $0.id) < ($1.createdAtMs, $1.id) }
        }
    }

    /// One profile, deleted or not (its payments keep naming it).
    public func shortCode(_ id: ShortCodeID, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> ShortCodeRecord
    {
        try actor.authorize(.readShortCode, in: organization)
        return try await shortCode(id, engine: try await engine(organization))
    }

    /// Changes only what the input names; a new secret makes a new version (the old one stays readable in the
    /// vault until the next change). Environment, short code and kind never change.
    public func updateShortCode(
        _ id: ShortCodeID, _ input: ShortCodeInput, in organization: OrganizationID, by actor: Actor
    ) async throws(EngineError) -> ShortCodeRecord {
        try actor.authorize(.updateShortCode, in: organization)
        let engine = try await self.engine(organization)
        return try await withShortCodeLock(engine) { () async throws(EngineError) in
            let record = try await shortCode(id, engine: engine)
            guard !record.isDeleted else { throw EngineError(.conflict, "short code \(id) is deleted") }
            let current = try await profile(record, engine: engine)
            let made = try input.validated(id: id, existing: (record, current.secrets), makeDefault: false)
            try await engine.read { (state) throws(EngineError) in try Self.checkNumberFree(made.event, in: state) }
            try await saveShortCodes(
                [ShortCodeChange(event: made.event, secrets: made.secrets, audit: "short_code.update")],
                in: organization, by: actor, engine: engine, read: [id: record.version])
            return try await shortCode(id, engine: engine)
        }
    }

    /// Deletes a profile that has no payment still pending on it (409 naming how many). Its payments keep
    /// naming it; its secrets leave the vault at the next change; a production short code is released.
    public func deleteShortCode(_ id: ShortCodeID, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError)
    {
        try actor.authorize(.deleteShortCode, in: organization)
        let engine = try await self.engine(organization)
        let record = try await withShortCodeLock(engine) { () async throws(EngineError) -> ShortCodeRecord in
            try await engine.execute { (state, _) throws(EngineError) in
                guard let record = state.shortCodes[id], !record.isDeleted else {
                    throw EngineError.notFound("short code")
                }
                let pending = state.payments.pendingCount(shortCodeID: id)
                guard pending == 0 else {
                    throw EngineError(
                        .conflict,
                        "short code \(record.shortCode) has \(pending) payment\(pending == 1 ? "" : "s") still "
                            + "pending; delete it once they are settled")
                }
                return Decision(
                    events: [.shortCodeDeleted(.init(shortCodeID: id)),
                             actor.audit("short_code.delete", target: "\(id) short_code=\(record.shortCode)")],
                    value: record)
            }
        }
        engine.credentialsChanged()
        await release(record, of: organization)
    }

    /// A deleted production profile's number is free for another organization of the instance.
    func release(_ record: ShortCodeRecord, of organization: OrganizationID) async {
        await release(shortCode: record.shortCode, environment: record.environment, of: organization)
    }

    func release(shortCode: String, environment: String, of organization: OrganizationID) async {
        guard environment == "production" else { return }
        _ = try? await system.execute { (state, _) throws(EngineError) in
            guard state.shortCodeClaims[shortCode] == organization else { return Decision(value: ()) }
            return Decision(
                events: [.shortCodeReleased(.init(shortCode: shortCode, organizationID: organization))], value: ())
        }
    }

    /// Proves the profile's keys by fetching an OAuth token with them (nothing that moves money), and records
    /// the result on the profile (`last_verification`).
    public func verifyShortCode(_ id: ShortCodeID, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> ShortCodeCheck
    {
        try actor.authorize(.verifyShortCode, in: organization)
        let engine = try await self.engine(organization)
        let record = try await shortCode(id, engine: engine)
        guard !record.isDeleted else { throw EngineError(.conflict, "short code \(id) is deleted") }
        let profile = try await self.profile(record, engine: engine)
        guard let upstream else {
            throw EngineError(.upstreamUnavailable, "this gateway has no outbound Daraja connection")
        }
        var failure: String?
        do {
            _ = try await upstream.freshClient(profile: profile).accessToken()
        } catch {
            failure = Self.darajaText(of: error)
        }
        let frozen = failure
        let atMs = try await engine.execute { (state, context) throws(EngineError) in
            guard state.shortCodes[id]?.isDeleted == false else { throw EngineError.notFound("short code") }
            return Decision(
                events: [.shortCodeVerified(.init(shortCodeID: id, ok: frozen == nil, error: frozen)),
                         actor.audit("short_code.verify", target: "\(id) ok=\(frozen == nil)")],
                value: context.nowMs)
        }
        return ShortCodeCheck(ok: failure == nil, checkedAtMs: atMs, error: failure)
    }

    /// Daraja's own words for a refusal (its `errorMessage` and code), else what went wrong on the way.
    static func darajaText(of error: DarajaError) -> String {
        guard let text = error.darajaErrorMessage else { return error.message }
        return error.darajaErrorCode.map { "\(text) (\($0))" } ?? text
    }

    func shortCode(_ id: ShortCodeID, engine: TenantEngine) async throws(EngineError) -> ShortCodeRecord {
        try await engine.read { (state) throws(EngineError) in
            guard let record = state.shortCodes[id] else { throw EngineError.notFound("short code") }
            return record
        }
    }

    /// One change of an organization's profiles at a time (the vault file and the journal must agree).
    func withShortCodeLock<Value: Sendable>(
        _ engine: TenantEngine, _ body: () async throws(EngineError) -> Value
    ) async throws(EngineError) -> Value {
        guard engine.beginCredentialsUpdate() else {
            throw EngineError(.conflict, "another change of this organization's short codes is in progress; retry")
        }
        defer { engine.endCredentialsUpdate() }
        return try await body()
    }

    /// A number another active profile of the organization answers to is refused before anything is written.
    static func checkNumberFree(
        _ event: TenantEvent.ShortCodeSaved, in state: TenantState, ignoring replaced: [ShortCodeRecord] = []
    ) throws(EngineError) {
        if let other = state.profileClashing(with: event, ignoring: Set(replaced.map(\.id))) {
            throw EngineError(
                .conflict, "this organization already holds short code \(event.shortCode) (\(other.id))",
                param: "short_code")
        }
        guard state.shortCodes[event.shortCodeID] != nil || state.shortCodes.count < Limits.shortCodesCountMax else {
            throw EngineError(
                .conflict, "an organization holds at most \(Limits.shortCodesCountMax) short codes, deleted ones "
                    + "included")
        }
    }

    /// Claims the production numbers of `events`, runs `save`, and releases what it claimed if the save fails
    /// (so a refused profile never blocks the number for another organization).
    func claimingWhileSaving(
        _ events: [TenantEvent.ShortCodeSaved], for organization: OrganizationID,
        save: () async throws(EngineError) -> Void
    ) async throws(EngineError) {
        var claimed: [TenantEvent.ShortCodeSaved] = []
        do {
            for event in events where try await claim(event, for: organization) { claimed.append(event) }
            try await save()
        } catch {
            for event in claimed {
                await release(shortCode: event.shortCode, environment: event.environment, of: organization)
            }
            throw error
        }
    }

    /// A production short code belongs to one organization of the instance: recorded in `system/` before the
    /// profile is saved; whether this call claimed it. The other organization is never named.
    func claim(_ event: TenantEvent.ShortCodeSaved, for organization: OrganizationID) async throws(EngineError)
        -> Bool
    {
        guard event.environment == "production" else { return false }
        return try await system.execute { (state, _) throws(EngineError) in
            switch state.shortCodeClaims[event.shortCode] {
            case organization?: return Decision(value: false)
            case nil:
                return Decision(
                    events: [.shortCodeClaimed(.init(shortCode: event.shortCode, organizationID: organization))],
                    value: true)
            default:
                throw EngineError(
                    .conflict, "production short code \(event.shortCode) belongs to another organization on this "
                        + "gateway", param: "short_code")
            }
        }
    }
}
