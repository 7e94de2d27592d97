public import PesaCore

/// What `GET /v1/subscription` shows: the plan, the subscription's status and period, and this month's usage
/// against what the plan includes.
public struct SubscriptionState: Sendable {
    public let plan: Plan
    public let status: SubscriptionStatus
    public let currentPeriodStartMs: Int64
    public let currentPeriodEndMs: Int64
    public let rateLimitPerMinute: Int64
    /// The limit in force with its burst resolved (`Plan.effectiveRateLimit`).
    public let rateLimit: RateLimit
    /// The current Kenya month's usage.
    public let usage: MonthUsage

    /// API calls the plan still includes this month (0 once beyond).
    public var apiCallsLeft: Int64 { max(0, plan.includedCalls - usage.apiCalls) }
    /// API calls beyond what the plan includes, billed at `overageFeePerCall` each.
    public var apiCallsBeyond: Int64 { max(0, usage.apiCalls - plan.includedCalls) }
}

extension Gateway {
    public func subscription(in organization: OrganizationID, by actor: Actor) async throws(EngineError)
        -> SubscriptionState
    {
        try actor.authorize(.readSubscription, in: organization)
        let record = try await engine(organization).read { (state) throws(EngineError) in
            guard let record = state.organization else { throw EngineError.notFound("organization") }
            return record
        }
        let plan = try self.plan(named: record.plan)
        let usage = try await usage(month: nil, in: organization, by: actor)
        let rateLimit = plan.effectiveRateLimit(override: record.rateLimitOverrideLimit)
        return SubscriptionState(
            plan: plan, status: record.subscriptionStatus, currentPeriodStartMs: record.currentPeriodStartMs,
            currentPeriodEndMs: record.currentPeriodEndMs, rateLimitPerMinute: rateLimit.perMinute,
            rateLimit: rateLimit, usage: usage)
    }
}
