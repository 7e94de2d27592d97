public import PesaCore

/// What a caller sends to create or change a webhook endpoint (nil: not given).
public struct WebhookEndpointInput: Sendable {
    public var url: String?
    public var events: [String]?
    public var description: String?
    public var enabled: Bool?

    public init(url: String? = nil, events: [String]? = nil, description: String? = nil, enabled: Bool? = nil) {
        self.url = url
        self.events = events
        self.description = description
        self.enabled = enabled
    }
}

/// An endpoint with its signing secret in clear: answered once, at creation or rotation.
public struct WebhookEndpointWithSecret: Sendable {
    public let endpoint: WebhookEndpointRecord
    public let secret: String
}

extension Gateway {
    /// Creates an endpoint: its URL checked (scheme, and an address that is public unless the operator allows
    /// private ones), its secret put in the vault before the journal names the endpoint.
    public func createWebhookEndpoint(
        _ input: WebhookEndpointInput, in organization: OrganizationID, by actor: Actor
    ) async throws(EngineError) -> WebhookEndpointWithSecret {
        try actor.authorize(.createWebhookEndpoint, in: organization)
        let engine = try await self.engine(organization)
        guard let url = input.url else { throw EngineError.invalid("url", "url is required") }
        let checked = try await checkWebhookURL(url, engine: engine)
        let events = try Self.webhookEventTypes(input.events ?? [])
        let description = try Self.webhookDescription(input.description)
        let id = WebhookEndpointID(randomBytes: CommandContext.randomBytes(16))
        let secret = WebhookSecret.generate()
        return try await withShortCodeLock(engine) { () throws(EngineError) in
            let count = try await engine.read { state in state.webhookEndpoints.count }
            guard count < Limits.webhookEndpointsCountMax else {
                throw EngineError(
                    .conflict, "an organization has at most \(Limits.webhookEndpointsCountMax) webhook endpoints")
            }
            var content = try await vaultContent(engine)
            content.webhookSecrets =
                (content.webhookSecrets ?? []) + [
                    WebhookSecretEntry(endpointID: id, secret: secret.text, previous: nil, previousValidUntilMs: nil)
                ]
            try await writeVault(
                VaultContent(profiles: content.allSecrets, webhookSecrets: content.webhookSecrets), engine: engine)
            let created = TenantEvent.WebhookEndpointCreated(
                endpointID: id, url: checked, events: events, secretHint: secret.hint, description: description,
                enabled: input.enabled)
            let endpoint = try await engine.execute { (_, _) throws(EngineError) in
                Decision(
                    events: [.webhookEndpointCreated(created), actor.audit("webhook.create", target: id.rawValue)],
                    value: ())
            } thenRead: { (state, _) throws(EngineError) in
                guard let endpoint = state.webhookEndpoints[id] else { throw EngineError.notFound("webhook endpoint") }
                return endpoint
            }
            return WebhookEndpointWithSecret(endpoint: endpoint, secret: secret.text)
        }
    }

    public func webhookEndpoints(in organization: OrganizationID, by actor: Actor) async throws(EngineError)
        -> [WebhookEndpointRecord]
    {
        try actor.authorize(.listWebhookEndpoints, in: organization)
        return try await engine(organization).read { state in
            state.webhookEndpoints.values.sorted { $0.createdAtMs < $1.createdAtMs }
        }
    }

    public func webhookEndpoint(_ id: String, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> WebhookEndpointRecord
    {
        try actor.authorize(.listWebhookEndpoints, in: organization)
        let endpointID = try Self.endpointID(id)
        return try await engine(organization).read { (state) throws(EngineError) in
            guard let endpoint = state.webhookEndpoints[endpointID] else {
                throw EngineError.notFound("webhook endpoint")
            }
            return endpoint
        }
    }

    /// Changes the given fields. Disabling gives up the endpoint's pending deliveries (`failed`; `recover`
    /// sends them again); enabling clears the failure streak.
    public func updateWebhookEndpoint(
        _ id: String, _ input: WebhookEndpointInput, in organization: OrganizationID, by actor: Actor
    ) async throws(EngineError) -> WebhookEndpointRecord {
        try actor.authorize(.updateWebhookEndpoint, in: organization)
        let endpointID = try Self.endpointID(id)
        let engine = try await self.engine(organization)
        var url: String?
        if let text = input.url { url = try await checkWebhookURL(text, engine: engine) }
        let update = TenantEvent.WebhookEndpointUpdated(
            endpointID: endpointID, url: url, events: try input.events.map(Self.webhookEventTypes),
            description: try input.description.map { (text) throws(EngineError) in
                try Self.webhookDescription(text) ?? ""
            },
            enabled: input.enabled)
        return try await engine.execute { (state, _) throws(EngineError) in
            guard let endpoint = state.webhookEndpoints[endpointID] else {
                throw EngineError.notFound("webhook endpoint")
            }
            var events: [TenantEvent] = [
                .webhookEndpointUpdated(update), actor.audit("webhook.update", target: endpointID.rawValue),
            ]
            if update.enabled == false, endpoint.enabled {
                events.insert(contentsOf: Self.stopDeliveries(to: endpointID, in: state), at: 0)
            }
            return Decision(events: events, value: ())
        } thenRead: { (state, _) throws(EngineError) -> WebhookEndpointRecord in
            guard let endpoint = state.webhookEndpoints[endpointID] else {
                throw EngineError.notFound("webhook endpoint")
            }
            return endpoint
        }
    }

    /// Deletes an endpoint: its pending deliveries are given up, its secrets leave the vault; its deliveries'
    /// history stays.
    public func deleteWebhookEndpoint(_ id: String, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError)
    {
        try actor.authorize(.deleteWebhookEndpoint, in: organization)
        let endpointID = try Self.endpointID(id)
        let engine = try await self.engine(organization)
        try await withShortCodeLock(engine) { () throws(EngineError) in
            try await engine.execute { (state, _) throws(EngineError) in
                guard state.webhookEndpoints[endpointID] != nil else { throw EngineError.notFound("webhook endpoint") }
                return Decision(
                    events: Self.stopDeliveries(to: endpointID, in: state) + [
                        .webhookEndpointDeleted(.init(endpointID: endpointID)),
                        actor.audit("webhook.delete", target: endpointID.rawValue),
                    ], value: ())
            }
            let content = try await vaultContent(engine)
            try await writeVault(
                VaultContent(
                    profiles: content.allSecrets,
                    webhookSecrets: content.webhookSecrets?.filter { $0.endpointID != endpointID }),
                engine: engine)
        }
    }

    /// A new secret signs from now on; the old one signs too (both signatures are sent) for 24 hours.
    public func rotateWebhookSecret(_ id: String, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> WebhookEndpointWithSecret
    {
        try actor.authorize(.rotateWebhookSecret, in: organization)
        let endpointID = try Self.endpointID(id)
        let engine = try await self.engine(organization)
        let secret = WebhookSecret.generate()
        let validUntil = clock.nowMs() + Limits.webhookSecretOverlapMs
        return try await withShortCodeLock(engine) { () throws(EngineError) in
            _ = try await webhookEndpoint(id, in: organization, by: actor)
            var content = try await vaultContent(engine)
            var entries = content.webhookSecrets ?? []
            let old = entries.first { $0.endpointID == endpointID }
            entries.removeAll { $0.endpointID == endpointID }
            entries.append(
                WebhookSecretEntry(
                    endpointID: endpointID, secret: secret.text, previous: old?.secret, previousValidUntilMs: validUntil
                ))
            content.webhookSecrets = entries
            try await writeVault(VaultContent(profiles: content.allSecrets, webhookSecrets: entries), engine: engine)
            let rotated = TenantEvent.WebhookSecretRotated(
                endpointID: endpointID, secretHint: secret.hint, previousValidUntilMs: validUntil)
            let endpoint = try await engine.execute { (state, _) throws(EngineError) in
                guard state.webhookEndpoints[endpointID] != nil else { throw EngineError.notFound("webhook endpoint") }
                return Decision(
                    events: [
                        .webhookSecretRotated(rotated),
                        actor.audit("webhook.rotate_secret", target: endpointID.rawValue),
                    ], value: ())
            } thenRead: { (state, _) throws(EngineError) in
                guard let endpoint = state.webhookEndpoints[endpointID] else {
                    throw EngineError.notFound("webhook endpoint")
                }
                return endpoint
            }
            return WebhookEndpointWithSecret(endpoint: endpoint, secret: secret.text)
        }
    }

    /// The secrets that sign for an endpoint now: its current one, and the previous one within its overlap. The
    /// vault is read once per change of the organization's secrets (`WebhookSecretCache`), not per delivery.
    func webhookSigningSecrets(_ endpointID: WebhookEndpointID, engine: TenantEngine) async throws(EngineError)
        -> [WebhookSecret]
    {
        // Read before the vault: a change after this point bumps it, so a stale entry is never used.
        let generation = engine.credentialsGeneration
        let entries: [WebhookSecretEntry]
        if let cached = webhookSecrets.entries(engine.tenantID, generation: generation) {
            entries = cached
        } else {
            entries = try await vaultContent(engine).webhookSecrets ?? []
            webhookSecrets.keep(entries, for: engine.tenantID, generation: generation)
        }
        guard let entry = entries.first(where: { $0.endpointID == endpointID }) else {
            throw EngineError(.credentialsMissing, "the signing secret of webhook endpoint \(endpointID) is missing")
        }
        var texts = [entry.secret]
        if let previous = entry.previous, (entry.previousValidUntilMs ?? 0) > clock.nowMs() { texts.append(previous) }
        return texts.compactMap { try? WebhookSecret(text: $0) }
    }

    /// `webhook.deliveries_queued` giving up the endpoint's pending deliveries, if it has any.
    static func stopDeliveries(to endpoint: WebhookEndpointID, in state: TenantState) -> [TenantEvent] {
        let pending = state.pendingWebhookDeliveries.filter { state.webhookDeliveries[$0]?.endpointID == endpoint }
        guard !pending.isEmpty else { return [] }
        return [.webhookDeliveriesQueued(.init(deliveryIDs: pending.sorted(), reason: .endpointStopped))]
    }

    /// A URL an endpoint may have: http or https (https for an organization holding a production short code,
    /// unless the operator allows http), resolving only to public addresses unless the operator allows private
    /// ones. The address is checked again at every delivery.
    func checkWebhookURL(_ text: String, engine: TenantEngine) async throws(EngineError) -> String {
        let production = try await engine.read { state in
            state.shortCodes.values.contains { !$0.isDeleted && $0.environment == "production" }
        }
        do throws(WebhookError) {
            let target = try WebhookTarget.parse(text, requireHTTPS: production && !payments.allowHTTPWebhooks)
            _ = try await WebhookAddressPolicy(allowPrivate: payments.allowPrivateWebhooks).resolve(target)
            return text.trimmingWhitespace()
        } catch {
            throw EngineError.invalid("url", error.message)
        }
    }

    static func webhookEventTypes(_ names: [String]) throws(EngineError) -> [String] {
        var types: [String] = []
        for name in names {
            guard let type = WebhookEventType(rawValue: name), type != .ping else {
                let known = WebhookEventType.allCases.filter { $0 != .ping }.map(\.rawValue).joined(separator: ", ")
                throw EngineError.invalid("events", "unknown event type \(name); known: \(known)")
            }
            if !types.contains(type.rawValue) { types.append(type.rawValue) }
        }
        return types
    }

    static func webhookDescription(_ text: String?) throws(EngineError) -> String? {
        guard let text = text?.trimmingWhitespace(), !text.isEmpty else { return nil }
        guard text.count <= 200 else {
            throw EngineError.invalid("description", "description has at most 200 characters")
        }
        return text
    }

    static func endpointID(_ text: String) throws(EngineError) -> WebhookEndpointID {
        guard let id = try? WebhookEndpointID(parsing: text) else { throw EngineError.notFound("webhook endpoint") }
        return id
    }
}
