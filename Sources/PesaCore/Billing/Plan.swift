/// A subscription plan, as the instance's `system/` journal keeps it (`plan.saved`): what an organization
/// pays each month, what that includes (API calls, and transactions: STK pushes and payouts started), the
/// price of each unit beyond, an optional hard cap, its rate limit and its trial. A change makes a new
/// `version`; a running period keeps the version it started with.
public struct Plan: Hashable, Sendable, Codable {
    /// The plan's id and name: lower-case letters, digits and dashes (`starter`).
    public var name: String
    public var monthlyFee: Amount
    public var includedCalls: Int64
    /// Price of each API call beyond `includedCalls`.
    public var overageFeePerCall: Amount
    public var includedTransactions: Int64
    /// Price of each transaction beyond `includedTransactions`.
    public var pricePerTransaction: Amount
    /// Nothing beyond what is included: a payment past it is refused (402) instead of billed.
    public var hardCap: Bool
    public var rateLimitPerMinute: Int64
    /// Requests a burst may take at once (nil: a minute's worth).
    public var burst: Int64?
    public var trialDays: Int64
    public var version: Int64

    public init(
        name: String, monthlyFee: Amount, includedCalls: Int64, overageFeePerCall: Amount, rateLimitPerMinute: Int64,
        includedTransactions: Int64 = 0, pricePerTransaction: Amount = .zero, hardCap: Bool = false,
        burst: Int64? = nil, trialDays: Int64 = 14, version: Int64 = 1
    ) {
        self.name = name
        self.monthlyFee = monthlyFee
        self.includedCalls = includedCalls
        self.overageFeePerCall = overageFeePerCall
        self.rateLimitPerMinute = rateLimitPerMinute
        self.includedTransactions = includedTransactions
        self.pricePerTransaction = pricePerTransaction
        self.hardCap = hardCap
        self.burst = burst
        self.trialDays = trialDays
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case name, burst, version
        case monthlyFee = "monthly_fee"
        case includedCalls = "included_api_calls"
        case overageFeePerCall = "price_per_api_call"
        case includedTransactions = "included_transactions"
        case pricePerTransaction = "price_per_transaction"
        case hardCap = "hard_cap"
        case rateLimitPerMinute = "rate_limit_per_minute"
        case trialDays = "trial_days"
    }

    /// Why this plan cannot be saved (the field and the reason), nil when it can.
    public var problem: (field: String, message: String)? {
        let nameOK = (1...Limits.planNameCharactersMax).contains(name.count)
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        if !nameOK {
            return ("name", "name must be 1 to \(Limits.planNameCharactersMax) lower-case letters, digits or dashes")
        }
        for (field, amount) in [
            ("monthly_fee", monthlyFee), ("price_per_api_call", overageFeePerCall),
            ("price_per_transaction", pricePerTransaction),
        ] where amount < .zero || amount.minorUnits > Limits.planAmountMinorUnitsMax {
            return (field, "\(field) must be 0 to \(Limits.planAmountMinorUnitsMax / 100) KES")
        }
        for (field, count) in [("included_api_calls", includedCalls), ("included_transactions", includedTransactions)]
        where count < 0 {
            return (field, "\(field) must be 0 or more")
        }
        if !(1...Limits.rateLimitPerMinuteMax).contains(rateLimitPerMinute) {
            return ("rate_limit_per_minute", "rate_limit_per_minute must be 1 to \(Limits.rateLimitPerMinuteMax)")
        }
        if let burst, !(1...Limits.tokenBucketCapacityMax).contains(burst) {
            return ("burst", "burst must be 1 to \(Limits.tokenBucketCapacityMax)")
        }
        if !(0...366).contains(trialDays) { return ("trial_days", "trial_days must be 0 to 366") }
        return nil
    }

    /// The plans a new instance starts with, cheapest first (`plan.saved` lines of its `system/` journal).
    public static let catalog: [Plan] = [
        Plan(name: "free", monthlyFee: .zero, includedCalls: 1_000, overageFeePerCall: .zero, rateLimitPerMinute: 60,
             includedTransactions: 100, hardCap: true, trialDays: 0),
        Plan(name: "starter", monthlyFee: Amount(shillings: 2_500), includedCalls: 20_000,
             overageFeePerCall: Amount(minorUnits: 50), rateLimitPerMinute: 300, includedTransactions: 2_000,
             pricePerTransaction: Amount(minorUnits: 200)),
        Plan(name: "business", monthlyFee: Amount(shillings: 10_000), includedCalls: 200_000,
             overageFeePerCall: Amount(minorUnits: 20), rateLimitPerMinute: 1_200, includedTransactions: 20_000,
             pricePerTransaction: Amount(minorUnits: 100)),
        Plan(name: "enterprise", monthlyFee: Amount(shillings: 50_000), includedCalls: 2_000_000,
             overageFeePerCall: Amount(minorUnits: 10), rateLimitPerMinute: 6_000, includedTransactions: 200_000,
             pricePerTransaction: Amount(minorUnits: 50)),
    ]

    /// A plan of the built-in catalog by name (an instance's own plans are in its `system/` state).
    public static func named(_ name: String) throws(PesaCoreError) -> Plan {
        guard let plan = catalog.first(where: { $0.name == name }) else {
            let names = catalog.map(\.name).joined(separator: ", ")
            throw .invalidField("plan", "unknown plan \"\(name)\"; plans are \(names)")
        }
        return plan
    }

    /// The rate limit in force: an organization's override when it has one, else the plan's.
    public func effectiveRateLimitPerMinute(override: Int64?) -> Int64 {
        override ?? rateLimitPerMinute
    }
}

/// One version of a plan and when it was saved: a period uses the version in force when it started.
public struct PlanVersion: Hashable, Sendable {
    public let plan: Plan
    public let savedAtMs: Int64
}

extension TenantState {
    /// The current version of each plan (the `system/` state's), by name.
    public var currentPlans: [Plan] {
        plans.values.compactMap { $0.last?.plan }.sorted { ($0.monthlyFee, $0.name) < ($1.monthlyFee, $1.name) }
    }

    /// The version of `name` in force at `ms` (the first version, for a time before it was saved).
    public func plan(_ name: String, atMs ms: Int64) -> Plan? {
        guard let versions = plans[name] else { return nil }
        return versions.last { $0.savedAtMs <= ms }?.plan ?? versions.first?.plan
    }
}
