public import PesaCore

/// What `GET /v1/mpesa-credentials` shows: the organization's default profiles in the shape of one credential
/// set, masked hints only.
public struct CredentialsView: Sendable, Equatable {
    public let version: Int64
    public let environment: String
    public let businessShortCode: String
    /// Field name -> masked value (and the non-secret fields of the set).
    public let hints: [String: String]
    public let updatedAtMs: Int64
}

extension Gateway {
    /// `PUT /v1/mpesa-credentials`: one credential set, saved as the organization's default profiles: its Lipa
    /// na M-Pesa short code (a paybill, or a till for buy goods) and, when `b2c_short_code` is another number,
    /// a B2C profile with the same keys and initiator. A profile already holding one of these numbers is
    /// updated (one of another kind or environment is replaced: deleted, and a new profile made); without
    /// `b2c_short_code`, payouts go from the collecting short code again.
    public func putCredentials(_ input: MpesaCredentialsInput, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> CredentialsView
    {
        try actor.authorize(.updateCredentials, in: organization)
        let credentials = try input.validated(version: 0)
        let engine = try await self.engine(organization)
        try await withShortCodeLock(engine) { () async throws(EngineError) in
            let state = try await engine.read { state in state }
            let set = TenantEvent.CredentialsUpdated(
                version: 0, environment: credentials.environment, businessShortCode: credentials.businessShortCode,
                hints: credentials.hints)
            let legacy = set.legacyProfiles()
            var changes: [ShortCodeChange] = []
            var versions: [ShortCodeID: Int64] = [:]
            var replaced: [ShortCodeRecord] = []
            for var event in legacy.profiles {
                let existing = state.activeShortCodes.first { $0.answers(to: event.shortCode) }
                if let existing, existing.kind != event.kind || existing.environment != event.environment {
                    // The one credential set is replaced whole, as before profiles: the number's profile of
                    // another kind or environment gives way (unless money is still moving on it).
                    let pending = state.payments.pendingCount(shortCodeID: existing.id)
                    guard pending == 0 else {
                        throw EngineError(
                            .conflict, "short code \(existing.shortCode) is a \(existing.environment) "
                                + "\(existing.kind.rawValue) profile with \(pending) payments still pending",
                            param: "business_short_code")
                    }
                    replaced.append(existing)
                    versions[existing.id] = existing.version
                }
                if let existing, !replaced.contains(where: { $0.id == existing.id }) {
                    event.shortCodeID = existing.id
                    event.label = existing.label
                    versions[existing.id] = existing.version
                } else {
                    // A new profile gets a random id like any other (only sets journaled before profiles existed
                    // keep ids derived from their numbers).
                    event.shortCodeID = ShortCodeID(randomBytes: CommandContext.randomBytes(16))
                }
                event.version = (state.shortCodes[event.shortCodeID]?.version ?? 0) + 1
                let secrets = ShortCodeSecrets(
                    shortCodeID: event.shortCodeID, version: event.version, consumerKey: credentials.consumerKey,
                    consumerSecret: credentials.consumerSecret,
                    passkey: event.kind == .b2c ? nil : credentials.passkey, initiatorName: credentials.initiatorName,
                    initiatorPassword: credentials.initiatorPassword)
                event.hints = secrets.hints
                try Self.checkNumberFree(event, in: state, ignoring: replaced)
                changes.append(ShortCodeChange(event: event, secrets: secrets, audit: "credentials.update"))
            }
            let saved = Set(changes.map(\.event.shortCodeID))
            var cleared: [ShortCodeKind] = [changes[0].event.kind == .till ? .paybill : .till]
            if legacy.clearsB2CDefault { cleared.append(.b2c) }
            for kind in cleared {
                guard let other = state.defaultShortCode(kind), !saved.contains(other.id),
                    !replaced.contains(where: { $0.id == other.id })
                else { continue }
                let event = TenantEvent.ShortCodeSaved(
                    shortCodeID: other.id, version: other.version, label: other.label, environment: other.environment,
                    shortCode: other.shortCode, kind: other.kind, tillNumber: other.tillNumber, isDefault: false,
                    hints: other.hints)
                versions[other.id] = other.version
                changes.append(ShortCodeChange(event: event, secrets: nil, audit: "short_code.update"))
            }
            let deletions = replaced.flatMap { record -> [TenantEvent] in
                [.shortCodeDeleted(.init(shortCodeID: record.id)),
                 actor.audit("short_code.delete", target: "\(record.id) short_code=\(record.shortCode)")]
            }
            try await claimingWhileSaving(changes.map(\.event), for: organization) { () async throws(EngineError) in
                try await saveShortCodes(
                    changes, in: organization, by: actor, engine: engine, read: versions, preceding: deletions)
            }
            for record in replaced { await release(record, of: organization) }
        }
        return try await credentialsView(engine)
    }

    public func credentialsView(in organization: OrganizationID, by actor: Actor) async throws(EngineError)
        -> CredentialsView
    {
        try actor.authorize(.readCredentials, in: organization)
        return try await credentialsView(try await engine(organization))
    }

    private func credentialsView(_ engine: TenantEngine) async throws(EngineError) -> CredentialsView {
        try await engine.read { (state) throws(EngineError) in
            guard let collecting = state.defaultShortCode(for: .stkPush) else {
                throw EngineError.notFound("M-Pesa credentials")
            }
            var hints = collecting.hints
            hints["transaction_type"] = collecting.kind == .till ? "buy_goods" : "paybill"
            if let till = collecting.tillNumber { hints["till_number"] = till }
            let b2c = state.defaultShortCode(.b2c)
            if let b2c { hints["b2c_short_code"] = b2c.shortCode }
            return CredentialsView(
                version: max(collecting.version, b2c?.version ?? 0), environment: collecting.environment,
                businessShortCode: collecting.shortCode, hints: hints,
                updatedAtMs: max(collecting.updatedAtMs, b2c?.updatedAtMs ?? 0))
        }
    }

    /// Whether the organization holds any short-code profile (the demo organization gets its sandbox set once).
    public func hasShortCodes(_ organization: OrganizationID) async throws(EngineError) -> Bool {
        try await engine(organization).read { state in !state.activeShortCodes.isEmpty }
    }
}
