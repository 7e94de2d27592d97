public import PesaCore

/// What `GET /v1/subscription` shows: the plan, the subscription's status and period (Kenya time), what is
/// scheduled for the period's end, and this month's usage against what the plan includes.
public struct SubscriptionState: Sendable {
    public let plan: Plan
    public let record: SubscriptionRecord
    public let currentPeriodStartMs: Int64
    public let currentPeriodEndMs: Int64
    public let rateLimitPerMinute: Int64
    /// The limit in force with its burst resolved (`Plan.effectiveRateLimit`).
    public let rateLimit: RateLimit
    /// The current Kenya month's usage.
    public let usage: MonthUsage
    /// Open invoices past their due date, oldest first.
    public let overdue: [Invoice]

    public var status: SubscriptionStatus { record.status }
    /// API calls the plan still includes this month (0 once beyond).
    public var apiCallsLeft: Int64 { max(0, plan.includedCalls - usage.apiCalls) }
    /// API calls beyond what the plan includes, billed at `overageFeePerCall` each.
    public var apiCallsBeyond: Int64 { max(0, usage.apiCalls - plan.includedCalls) }
    /// STK pushes and payouts started this month.
    public var transactions: Int64 { usage.count(.stkPushes).count + usage.count(.payouts).count }
    public var transactionsLeft: Int64 { max(0, plan.includedTransactions - transactions) }
}

/// What an organization's admin may change of its subscription (`PATCH /v1/subscription`).
public struct SubscriptionChanges: Sendable {
    /// A dearer plan takes effect at once (prorated to the day); a cheaper one at the period's end.
    public var plan: String?
    /// Cancel at the period's end (true), or keep the subscription after all (false).
    public var cancelAtPeriodEnd: Bool?

    public init() {}
}

extension Gateway {
    public func subscription(in organization: OrganizationID, by actor: Actor) async throws(EngineError)
        -> SubscriptionState
    {
        try actor.authorize(.readSubscription, in: organization)
        let nowMs = clock.nowMs()
        let (record, overrideLimit, overdue) = try await engine(organization).read { (state) throws(EngineError) in
            guard let organization = state.organization, let record = state.subscription else {
                throw EngineError.notFound("organization")
            }
            return (record, organization.rateLimitOverrideLimit, state.overdueInvoices(atMs: nowMs))
        }
        let plan = try self.plan(named: record.plan)
        let usage = try await usage(month: nil, in: organization, by: actor)
        let period = record.period(atMs: nowMs)
        let rateLimit = plan.effectiveRateLimit(override: overrideLimit)
        return SubscriptionState(
            plan: plan, record: record, currentPeriodStartMs: period.startMs, currentPeriodEndMs: period.endMs,
            rateLimitPerMinute: rateLimit.perMinute, rateLimit: rateLimit, usage: usage, overdue: overdue)
    }

    /// An organization's admin changes its plan or asks to cancel at the period's end. An upgrade (a higher
    /// monthly fee) takes effect at once and is prorated to the day on the month's invoice; a downgrade is
    /// scheduled for the period's end. Audited.
    public func updateSubscription(_ changes: SubscriptionChanges, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> SubscriptionState
    {
        try actor.authorize(.updateSubscription, in: organization)
        let target = try changes.plan.map { (name) throws(EngineError) in try self.plan(named: name) }
        let catalog = planCatalog
        try await engine(organization).execute { (state, _) throws(EngineError) in
            guard let record = state.subscription else { throw EngineError.notFound("organization") }
            guard record.status != .cancelled else {
                throw EngineError(
                    .conflict, "the subscription is cancelled; the operator can reactivate it", param: "status")
            }
            var change = TenantEvent.SubscriptionUpdated()
            if let target, target.name != record.plan {
                let current = catalog.plan(record.plan)?.monthlyFee ?? .zero
                if target.monthlyFee >= current {
                    change.plan = target.name
                    change.scheduledPlanCleared = record.scheduledPlan == nil ? nil : true
                } else {
                    change.scheduledPlan = target.name
                }
            } else if target != nil, record.scheduledPlan != nil {
                change.scheduledPlanCleared = true  // back to the current plan: the scheduled change is dropped
            }
            change.cancelAtPeriodEnd = changes.cancelAtPeriodEnd
            guard change != TenantEvent.SubscriptionUpdated() else { return Decision(value: ()) }
            let what = [
                change.plan.map { "plan=\($0)" }, change.scheduledPlan.map { "scheduled_plan=\($0)" },
                change.cancelAtPeriodEnd.map { "cancel_at_period_end=\($0)" },
            ].compactMap { $0 }.joined(separator: " ")
            return Decision(
                events: [.subscriptionUpdated(change), actor.audit("subscription.update", target: what)], value: ())
        }
        return try await subscription(in: organization, by: actor)
    }
}

extension Gateway {
    /// The `Pesa-Billing-Warning` of an organization's answers (nil unless its subscription is past due).
    public func billingWarning(of organization: OrganizationID) async -> String? {
        try? await engine(organization).accessView.billingWarning
    }
}
