public import PesaCore
import PesaStore

extension Gateway {
    /// Records a new API key of an organization. The caller made the key and shows it once; only its hash
    /// and a hint are kept.
    /// With `idempotency`, the key is journaled in `api_key.created` itself (so two requests with one key never
    /// make two API keys, even at the same moment or across a crash that tears the journal's tail), and the same
    /// caller, key and body again is 409 naming the API key already made: its secret was shown once and is kept
    /// nowhere, so it cannot be answered again.
    ///
    /// `rateLimit`: the key's own limit, besides its organization's (a request takes a token from both). It
    /// may not be higher than the organization's limit in force (rate, and burst when given), since the
    /// organization's bucket would refuse first anyway; without one the key may use all of its organization's
    /// limit. A key given less leaves the rest to the organization's other keys.
    public func createAPIKey(
        in organization: OrganizationID, name: String, role: Role, environment: String, keyHash: String,
        keyHint: String, rateLimit: RateLimit? = nil, idempotency: IdempotencyInput? = nil, by actor: Actor
    ) async throws(EngineError) -> APIKeyRecord {
        try actor.authorize(.createAPIKey, in: organization)
        let name = name.trimmingWhitespace()
        // Unicode scalars, not characters: one character may carry thousands of combining marks.
        guard (1...100).contains(name.unicodeScalars.count) else {
            throw EngineError.invalid("name", "name must be 1 to 100 characters")
        }
        guard role != .superAdmin, actor.principal.mayAssign(role, in: organization) else {
            throw EngineError(.forbidden, "your role may not create an API key with role \(role)", param: "role")
        }
        if let problem = rateLimit?.problem() { throw EngineError.invalid(problem.field, problem.message) }
        let id = APIKeyID(randomBytes: CommandContext.randomBytes(16))
        let scope = Self.idempotencyScope("POST /v1/api-keys", actor: actor)
        let masterKeyID = masterKey.id
        try await engine(organization).execute { (state, context) throws(EngineError) in
            guard state.organization != nil else { throw EngineError.notFound("organization") }
            if let idempotency,
                let first = try Self.firstAnswer(
                    idempotency, scope: scope, in: state, nowMs: context.nowMs, masterKeyID: masterKeyID)
            {
                let made = first.resourceID ?? "an API key"
                throw EngineError(
                    .conflict,
                    "\(made) was already created for this Idempotency-Key; its key is shown only once and "
                        + "cannot be shown again. If that answer was lost, revoke \(made) and create another",
                    param: "Idempotency-Key")
            }
            try Self.requireEnabled(state, toCreate: "API keys")
            if let rateLimit, let record = state.organization, let limit = self.effectiveRateLimit(of: record) {
                try Self.requireWithin(rateLimit, organization: limit)
            }
            let created = TenantEvent.apiKeyCreated(.init(
                keyID: id, name: name, role: role, keyHash: keyHash, keyHint: keyHint, environment: environment,
                idempotency: idempotency?.stamp(scope: scope), rateLimit: rateLimit))
            return Decision(events: [created, actor.audit("api_key.create", target: id.rawValue)], value: ())
        }
        directory.add(keyHash: keyHash, tenant: organization.rawValue)
        return try await engine(organization).read { (state) throws(EngineError) in
            guard let key = state.apiKeys[id] else { throw EngineError.notFound("api key") }
            return key
        }
    }

    /// 422 naming `rate_limit.per_minute` or `rate_limit.burst` when a key's limit is above its organization's.
    static func requireWithin(_ key: RateLimit, organization limit: RateLimit) throws(EngineError) {
        if key.perMinute > limit.perMinute {
            throw EngineError.invalid(
                "rate_limit.per_minute",
                "rate_limit.per_minute may not be above the organization's \(limit.perMinute) requests per minute")
        }
        if let burst = key.burst, burst > limit.capacity {
            throw EngineError.invalid(
                "rate_limit.burst", "rate_limit.burst may not be above the organization's burst of \(limit.capacity)")
        }
    }

    public func apiKeys(in organization: OrganizationID, by actor: Actor) async throws(EngineError) -> [APIKeyRecord] {
        try actor.authorize(.listAPIKeys, in: organization)
        return try await engine(organization).read { state in
            state.apiKeys.values.sorted { ($0.createdAtMs, $0.id.rawValue) < ($1.createdAtMs, $1.id.rawValue) }
        }
    }

    public func revokeAPIKey(_ id: APIKeyID, in organization: OrganizationID, by actor: Actor) async throws(EngineError)
    {
        try actor.authorize(.revokeAPIKey, in: organization)
        try await engine(organization).execute { (state, _) throws(EngineError) in
            guard let key = state.apiKeys[id] else { throw EngineError.notFound("api key") }
            guard !key.isRevoked else { return Decision(value: ()) }
            let revoked = TenantEvent.apiKeyRevoked(.init(keyID: id))
            return Decision(events: [revoked, actor.audit("api_key.revoke", target: id.rawValue)], value: ())
        }
    }

    /// The organization and record of a live API key, by the key's hash; nil when unknown or revoked.
    public func apiKey(hash: String) async -> (organization: OrganizationID, key: APIKeyRecord)? {
        if directory.tenant(forKeyHash: hash) == nil { await indexAllTenants() }
        guard let tenant = directory.tenant(forKeyHash: hash), let organization = try? OrganizationID(parsing: tenant),
            let key = try? await engine(organization).accessView.apiKey(hash: hash), !key.isRevoked
        else { return nil }
        return (organization, key)
    }
}
