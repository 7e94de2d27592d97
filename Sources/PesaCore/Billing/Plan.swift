/// A subscription plan: what an organization pays each month, the API calls included, the price of each
/// call beyond, and its rate limit.
public struct Plan: Hashable, Sendable, Codable {
    public let name: String
    public let monthlyFee: Amount
    public let includedCalls: Int64
    /// Price of each API call beyond `includedCalls` (zero: calls beyond are refused instead).
    public let overageFeePerCall: Amount
    public let rateLimitPerMinute: Int64

    public init(name: String, monthlyFee: Amount, includedCalls: Int64, overageFeePerCall: Amount,
                rateLimitPerMinute: Int64) {
        precondition(includedCalls >= 0 && monthlyFee >= .zero && overageFeePerCall >= .zero, "plan is negative")
        precondition((1...Limits.rateLimitPerMinuteMax).contains(rateLimitPerMinute), "plan rate limit out of range")
        self.name = name
        self.monthlyFee = monthlyFee
        self.includedCalls = includedCalls
        self.overageFeePerCall = overageFeePerCall
        self.rateLimitPerMinute = rateLimitPerMinute
    }

    /// The plans the gateway offers, cheapest first.
    public static let catalog: [Plan] = [
        Plan(name: "free", monthlyFee: .zero, includedCalls: 1_000, overageFeePerCall: .zero,
             rateLimitPerMinute: 60),
        Plan(name: "starter", monthlyFee: Amount(shillings: 2_500), includedCalls: 20_000,
             overageFeePerCall: Amount(minorUnits: 50), rateLimitPerMinute: 300),
        Plan(name: "business", monthlyFee: Amount(shillings: 10_000), includedCalls: 200_000,
             overageFeePerCall: Amount(minorUnits: 20), rateLimitPerMinute: 1_200),
        Plan(name: "enterprise", monthlyFee: Amount(shillings: 50_000), includedCalls: 2_000_000,
             overageFeePerCall: Amount(minorUnits: 10), rateLimitPerMinute: 6_000),
    ]

    /// A plan of the catalog by name.
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
