public import PesaCore

/// This month's usage against the plan, without the month's full usage breakdown: the API calls and the
/// transactions (STK pushes and payouts) `GET /v1/subscription` counts, read from the counters the state keeps
/// by month (O(1), where `usage(month:)` walks the month's payments), and the plan's subscription status.
public struct PlanUsage: Sendable, Equatable {
    public let month: String
    public let plan: Plan
    public let status: SubscriptionStatus
    /// Journaled calls and those counted since the last flush, as `usage(month:in:by:)` adds them.
    public let apiCalls: Int64
    public let transactions: Int64
}

extension Gateway {
    /// The organization's plan usage in the current Kenya month (manager and up, as the usage it summarizes).
    public func planUsage(in organization: OrganizationID, by actor: Actor) async throws(EngineError) -> PlanUsage {
        try actor.authorize(.readUsage, in: organization)
        let month = KenyaTime.monthKey(ms: clock.nowMs())
        let (record, calls, transactions) = try await engine(organization).read { (state) throws(EngineError) in
            guard let record = state.subscription else { throw EngineError.notFound("organization") }
            return (record, state.apiCallsByMonth[month] ?? 0, state.transactionsByMonth[month] ?? 0)
        }
        return PlanUsage(
            month: month, plan: try plan(named: record.plan), status: record.status,
            apiCalls: calls + apiCalls.pending(organization, month: month), transactions: transactions)
    }
}
