public import PesaCore
import Synchronization

/// The current version of each plan, from the `system/` state, for the paths that must not wait on its
/// journal (every request's rate limit).
public final class PlanCatalog: Sendable {
    private let plans = Mutex<[String: Plan]>([:])

    init() {}

    public func plan(_ name: String) -> Plan? { plans.withLock { $0[name] } }

    var names: [String] { plans.withLock { $0.values.sorted { ($0.monthlyFee, $0.name) < ($1.monthlyFee, $1.name) } }
        .map(\.name) }

    func replace(with current: [Plan]) {
        plans.withLock { $0 = Dictionary(uniqueKeysWithValues: current.map { ($0.name, $0) }) }
    }
}

/// The fields of `PATCH /v1/admin/plans/{id}`: only what is named changes.
public struct PlanChanges: Sendable {
    public var monthlyFee: Int64?
    public var includedAPICalls: Int64?
    public var pricePerAPICall: Int64?
    public var includedTransactions: Int64?
    public var pricePerTransaction: Int64?
    public var hardCap: Bool?
    public var rateLimitPerMinute: Int64?
    public var burst: Int64?
    public var trialDays: Int64?

    public init() {}

    func applied(to plan: Plan) -> Plan {
        var plan = plan
        if let monthlyFee { plan.monthlyFee = Amount(minorUnits: monthlyFee) }
        if let includedAPICalls { plan.includedCalls = includedAPICalls }
        if let pricePerAPICall { plan.overageFeePerCall = Amount(minorUnits: pricePerAPICall) }
        if let includedTransactions { plan.includedTransactions = includedTransactions }
        if let pricePerTransaction { plan.pricePerTransaction = Amount(minorUnits: pricePerTransaction) }
        if let hardCap { plan.hardCap = hardCap }
        if let rateLimitPerMinute { plan.rateLimitPerMinute = rateLimitPerMinute }
        if let burst { plan.burst = burst }
        if let trialDays { plan.trialDays = trialDays }
        plan.version += 1
        return plan
    }
}

extension Gateway {
    /// A new instance's `system/` journal gets the built-in catalog as its first plans.
    func seedPlans() async throws(EngineError) {
        try await system.execute { (state, _) throws(EngineError) in
            guard state.plans.isEmpty else { return Decision(value: ()) }
            return Decision(events: Plan.catalog.map(TenantEvent.planSaved), value: ())
        }
        await refreshPlanCatalog()
    }

    func refreshPlanCatalog() async {
        if let current = try? await system.read({ state in state.currentPlans }) { planCatalog.replace(with: current) }
    }

    /// A plan by name, or a 422 naming `field` and the plans there are.
    public func plan(named name: String, field: String = "plan") throws(EngineError) -> Plan {
        guard let plan = planCatalog.plan(name) else {
            throw EngineError.invalid(
                field, "unknown plan \"\(name)\"; plans are \(planCatalog.names.joined(separator: ", "))")
        }
        return plan
    }

    /// The plans an organization may move to, by name: what `PATCH /v1/subscription` accepts (the names are in
    /// its refusal of an unknown one too), with their fees and what they include.
    public var availablePlans: [Plan] { planCatalog.names.compactMap { planCatalog.plan($0) } }

    public func plans(by actor: Actor) async throws(EngineError) -> [PlanVersion] {
        try actor.authorize(.listPlans, in: nil)
        return try await system.read { state in
            state.currentPlans.compactMap { state.plans[$0.name]?.last }
        }
    }

    /// Adds a plan (version 1); a name taken is 409. Audited in the instance's log.
    public func createPlan(_ plan: Plan, by actor: Actor) async throws(EngineError) -> PlanVersion {
        try actor.authorize(.managePlans, in: nil)
        var plan = plan
        plan.version = 1
        if let problem = plan.problem { throw EngineError.invalid(problem.field, problem.message) }
        let frozen = plan
        let saved = try await system.execute { (state, _) throws(EngineError) in
            guard state.plans[frozen.name] == nil else {
                throw EngineError(.conflict, "plan \(frozen.name) exists; change it with PATCH", param: "name")
            }
            return Decision(
                events: [.planSaved(frozen), actor.audit("plan.create", target: frozen.name)], value: ())
        } thenRead: { (state, _) throws(EngineError) in
            guard let saved = state.plans[frozen.name]?.last else { throw EngineError.notFound("plan") }
            return saved
        }
        await refreshPlanCatalog()
        return saved
    }

    /// Changes what `changes` names as a new version: a running period keeps the version it started with.
    public func updatePlan(_ name: String, _ changes: PlanChanges, by actor: Actor) async throws(EngineError)
        -> PlanVersion
    {
        try actor.authorize(.managePlans, in: nil)
        let saved = try await system.execute { (state, _) throws(EngineError) in
            guard let current = state.plans[name]?.last?.plan else { throw EngineError.notFound("plan") }
            let next = changes.applied(to: current)
            if let problem = next.problem { throw EngineError.invalid(problem.field, problem.message) }
            return Decision(
                events: [.planSaved(next), actor.audit("plan.update", target: "\(name) version=\(next.version)")],
                value: ())
        } thenRead: { (state, _) throws(EngineError) in
            guard let saved = state.plans[name]?.last else { throw EngineError.notFound("plan") }
            return saved
        }
        await refreshPlanCatalog()
        return saved
    }
}
