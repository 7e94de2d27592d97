import PesaCore
import Testing

@testable import PesaEngine

/// Times in Kenya time and the plans the billing tests bill with.
enum BillingFixtures {
    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000

    /// `hour`:00 EAT on `day` of `month` (`YYYY-MM`).
    static func eat(_ month: String, _ day: Int64, _ hour: Int64 = 0, minute: Int64 = 0) -> Int64 {
        guard let start = KenyaTime.month(month)?.startMs else { preconditionFailure("a month") }
        return start + (day - 1) * dayMs + hour * hourMs + minute * 60_000
    }

    /// KES 3,100 a month (100 a day in a 31-day month), 10 API calls and 2 transactions included, a 14-day trial.
    static let tiny = Plan(
        name: "tiny", monthlyFee: Amount(shillings: 3_100), includedCalls: 10,
        overageFeePerCall: Amount(minorUnits: 50), rateLimitPerMinute: 600, includedTransactions: 2,
        pricePerTransaction: Amount(shillings: 5), trialDays: 14)

    /// KES 6,200 a month (200 a day in a 31-day month), no trial.
    static let big = Plan(
        name: "big", monthlyFee: Amount(shillings: 6_200), includedCalls: 1_000,
        overageFeePerCall: Amount(minorUnits: 20), rateLimitPerMinute: 1_200, includedTransactions: 1_000,
        pricePerTransaction: Amount(shillings: 1), trialDays: 0)

    /// `count` STK pushes of the organization journaled at the clock's time (no Daraja in these tests).
    static func journalPushes(_ count: Int, in organization: OrganizationID, gateway: Gateway) async throws {
        let events = try (0..<count).map { _ in
            TenantEvent.stkPushRequested(.init(
                paymentID: PaymentID(randomBytes: CommandContext.randomBytes(16)), amount: Amount(shillings: 10),
                phone: try MSISDN("0708374149"), accountReference: "INV-1", description: "Order 1"))
        }
        try await gateway.engine(organization).execute { (_, _) throws(EngineError) in
            Decision(events: events, value: ())
        }
    }

    static func apiCalls(_ count: Int, in organization: OrganizationID, gateway: Gateway, atMs: Int64) {
        for _ in 0..<count { gateway.apiCalls.count(organization, nowMs: atMs) }
    }

    static func subscription(_ organization: OrganizationID, _ gateway: Gateway) async throws -> SubscriptionRecord {
        try #require(try await gateway.engine(organization).read { state in state.subscription })
    }

    static func invoices(_ organization: OrganizationID, _ gateway: Gateway) async throws -> [Invoice] {
        try await gateway.invoices(in: organization, by: EngineHarness.member(.orgAdmin, of: organization))
    }
}
