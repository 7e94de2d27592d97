public import PesaCore
import Logging
import PesaStore

/// An organization as the API shows it.
public struct OrganizationView: Sendable, Equatable {
    public let record: OrganizationRecord
    public let planDetails: Plan?
    /// The current callback token in clear, for the callback URL shown to the organization; nil when it cannot
    /// be opened (its key file is missing or damaged: `pesa verify` names it), so that a saved change still
    /// answers and the organization still lists.
    public let callbackToken: String?
    /// The subscription's current period (the trial, or the Kenya month), from its record.
    public var currentPeriodStartMs: Int64? = nil
    public var currentPeriodEndMs: Int64? = nil
}

/// Changes to an organization (absent = unchanged).
public struct OrganizationChanges: Sendable {
    public var name: String?
    public var plan: String?
    public var status: OrganizationStatus?
    public var subscriptionStatus: SubscriptionStatus?
    /// Why a super admin sets `subscriptionStatus` by hand (required with it; audited).
    public var subscriptionReason: String?
    /// A new override, replacing the plan's rate (and, with `rateLimitBurstOverride`, its burst) and any
    /// override before it whole.
    public var rateLimitOverride: Int64?
    /// The override's burst; only with `rateLimitOverride` (nil: the plan's burst, else a minute's worth).
    public var rateLimitBurstOverride: Int64?
    public var clearRateLimitOverride = false

    public init() {}

    var touchesBilling: Bool {
        plan != nil || status != nil || subscriptionStatus != nil || rateLimitOverride != nil || clearRateLimitOverride
    }
}

extension Gateway {
    static let dayMs: Int64 = 86_400_000

    /// Creates an organization: its folder, manifest and first events (super_admin only).
    public func createOrganization(name: String, slug: String, plan: String, by actor: Actor)
        async throws(EngineError) -> OrganizationView
    {
        try actor.authorize(.createOrganization, in: nil)
        let name = try Self.validName(name)
        let orgSlug: OrgSlug
        do {
            orgSlug = try OrgSlug.forNewOrganization(slug)
        } catch {
            throw EngineError.from(error)
        }
        let planDetails = try self.plan(named: plan)
        let id = OrganizationID(randomBytes: CommandContext.randomBytes(16))
        guard registry.reserve(slug: orgSlug.rawValue, id: id.rawValue) else {
            throw EngineError(.conflict, "slug \"\(orgSlug.rawValue)\" is taken", param: "slug")
        }
        let nowMs = clock.nowMs()
        do {
            try await registry.data.createTenantOffThread(
                TenantManifest(id: id.rawValue, slug: orgSlug.rawValue, name: name, createdAtMs: nowMs))
        } catch {
            registry.release(slug: orgSlug.rawValue)
            throw EngineError.from(error)
        }
        registry.register(TenantRegistry.Listing(id: id.rawValue, slug: orgSlug.rawValue, name: name))
        let trialDays = planDetails.trialDays
        let engine = try await self.engine(id)
        // The key is written before the first token sealed under it is journaled.
        let seal = try await callbackTokenSeal(engine, create: true)
        let created = TenantEvent.organizationCreated(.init(
            organizationID: id, name: name, slug: orgSlug, plan: planDetails.name,
            subscriptionStatus: trialDays > 0 ? .trialing : .active, currentPeriodStartMs: nowMs,
            currentPeriodEndMs: trialDays > 0
                ? SubscriptionRecord.trialEnd(startedAtMs: nowMs, days: trialDays)
                : KenyaTime.month(KenyaTime.monthKey(ms: nowMs))?.endMs ?? nowMs,
            callbackToken: seal.seal(Self.callbackToken())))
        try await engine.execute { (state, _) throws(EngineError) in
            guard state.organization == nil else { throw EngineError(.conflict, "organization exists") }
            return Decision(events: [created, actor.audit("organization.create", target: id.rawValue)], value: ())
        }
        return try await organization(id, by: actor)
    }

    public func organization(_ id: OrganizationID, by actor: Actor) async throws(EngineError) -> OrganizationView {
        try actor.authorize(.readOrganization, in: id)
        let engine = try await engine(id)
        guard let record = engine.accessView.organization else { throw EngineError.notFound("organization") }
        return await view(of: record, engine: engine)
    }

    /// What the API shows of an organization: its record, its plan and its current callback token in clear.
    func view(of record: OrganizationRecord, engine: TenantEngine) async -> OrganizationView {
        let token = try? await callbackTokenSeal(engine).current(record)
        if token == nil {
            logger.error(
                "callback token cannot be opened", metadata: ["tenant": "\(record.id.rawValue)", "reason": "key file"])
        }
        var view = OrganizationView(record: record, planDetails: planCatalog.plan(record.plan), callbackToken: token)
        let nowMs = clock.nowMs()
        if let period = try? await engine.read({ state in state.subscription?.period(atMs: nowMs) }) ?? nil {
            (view.currentPeriodStartMs, view.currentPeriodEndMs) = (period.startMs, period.endMs)
        }
        return view
    }

    /// super_admin: every organization; anyone else: their own. Fenced tenants are left out.
    /// The organizations the actor may see, by slug: its own, or (super_admin) `limit` of them after the one
    /// whose id is `after`, and whether more follow. Only the page's tenants are opened. An unknown `after`
    /// is a 422 naming `cursor`.
    public func organizations(by actor: Actor, after: String? = nil, limit: Int = Int.max)
        async throws(EngineError) -> (views: [OrganizationView], more: Bool)
    {
        try actor.authorize(.listOrganizations, in: actor.principal.organizationID)
        if let own = actor.principal.organizationID {
            guard after == nil || after == own.rawValue else {
                throw EngineError.invalid("cursor", "cursor names no organization")
            }
            return after == nil ? ([try await organization(own, by: actor)], false) : ([], false)
        }
        guard let (listings, more) = registry.listings.page(after: after, limit: limit, id: \.id) else {
            throw EngineError.invalid("cursor", "cursor names no organization")
        }
        var views: [OrganizationView] = []
        for listing in listings {
            guard let id = try? OrganizationID(parsing: listing.id),
                let view = try? await organization(id, by: actor)
            else { continue }
            views.append(view)
        }
        return (views, more)
    }

    public func updateOrganization(_ id: OrganizationID, _ changes: OrganizationChanges, by actor: Actor)
        async throws(EngineError) -> OrganizationView
    {
        try actor.authorize(.updateOrganization, in: id)
        if changes.touchesBilling { try actor.authorize(.updateOrganizationBilling, in: id) }
        let name = try changes.name.map { (name) throws(EngineError) in try Self.validName(name) }
        if let plan = changes.plan { _ = try self.plan(named: plan) }
        if let limit = changes.rateLimitOverride, !(1...Limits.rateLimitPerMinuteMax).contains(limit) {
            throw EngineError.invalid(
                "rate_limit", "rate_limit must be 1 to \(Limits.rateLimitPerMinuteMax) requests per minute")
        }
        if let burst = changes.rateLimitBurstOverride {
            guard changes.rateLimitOverride != nil else {
                throw EngineError.invalid("rate_limit.per_minute", "rate_limit.per_minute is required with a burst")
            }
            guard (1...Limits.tokenBucketCapacityMax).contains(burst) else {
                throw EngineError.invalid(
                    "rate_limit.burst", "rate_limit.burst must be 1 to \(Limits.tokenBucketCapacityMax)")
            }
        }
        if changes.clearRateLimitOverride, changes.rateLimitOverride != nil {
            throw EngineError.invalid("rate_limit", "rate_limit is either cleared (null) or set, not both")
        }
        let subscription = try Self.subscriptionChange(changes)
        let update = TenantEvent.organizationUpdated(.init(
            name: name, status: changes.status, rateLimitOverride: changes.rateLimitOverride,
            rateLimitOverrideCleared: changes.clearRateLimitOverride ? true : nil,
            rateLimitBurstOverride: changes.rateLimitOverride == nil ? nil : changes.rateLimitBurstOverride))
        let engine = try await self.engine(id)
        try await engine.execute { (state, _) throws(EngineError) in
            guard state.organization != nil else { throw EngineError.notFound("organization") }
            var events = [update]
            if let subscription {
                events.append(.subscriptionUpdated(subscription))
                let what = [subscription.plan.map { "plan=\($0)" }, subscription.status.map { "status=\($0)" }]
                    .compactMap { $0 }.joined(separator: " ")
                events.append(actor.audit("subscription.set", target: "\(what) reason=\(subscription.reason ?? "")"))
            }
            return Decision(events: events + [actor.audit("organization.update", target: id.rawValue)], value: ())
        }
        return try await organization(id, by: actor)
    }

    /// A super admin's plan or status change as a subscription change: a plan takes effect at once; a status
    /// set by hand needs a reason, which the audit log keeps.
    static func subscriptionChange(_ changes: OrganizationChanges) throws(EngineError)
        -> TenantEvent.SubscriptionUpdated?
    {
        guard changes.plan != nil || changes.subscriptionStatus != nil else { return nil }
        var change = TenantEvent.SubscriptionUpdated(plan: changes.plan)
        if let status = changes.subscriptionStatus {
            let reason = (changes.subscriptionReason ?? "").trimmingWhitespace()
            guard (1...Limits.billingReasonCharactersMax).contains(reason.unicodeScalars.count) else {
                throw EngineError.invalid(
                    "reason",
                    "setting subscription_status needs a reason of 1 to "
                        + "\(Limits.billingReasonCharactersMax) characters")
            }
            change.status = status
            change.reason = reason
        }
        return change
    }

    static func validName(_ name: String) throws(EngineError) -> String {
        let trimmed = name.trimmingWhitespace()
        // Unicode scalars, not characters: one character may carry thousands of combining marks.
        guard (1...100).contains(trimmed.unicodeScalars.count) else {
            throw EngineError.invalid("name", "name must be 1 to 100 characters")
        }
        return trimmed
    }

    static func callbackToken() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String(CommandContext.randomBytes(32).map { alphabet[Int($0) % alphabet.count] })
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
