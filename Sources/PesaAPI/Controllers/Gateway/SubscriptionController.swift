import Hummingbird
import PesaCore
import PesaEngine

/// `GET /v1/subscription` (org_admin): the organization's plan, subscription status and period, and this month's
/// usage against what the plan includes (Kenya time).
struct SubscriptionController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.spec, use: read)
        routes.add(Self.patchSpec, use: patch)
    }

    struct SubscriptionJSON: ResponseEncodable, Sendable {
        struct PlanJSON: Encodable, Sendable {
            let name: String
            let monthlyFee: ShillingsJSON
            let includedAPICalls: Int64
            let pricePerAPICallBeyond: ShillingsJSON
            let includedTransactions: Int64
            let pricePerTransactionBeyond: ShillingsJSON
            let hardCap: Bool

            enum CodingKeys: String, CodingKey {
                case name
                case monthlyFee = "monthly_fee"
                case includedAPICalls = "included_api_calls"
                case pricePerAPICallBeyond = "price_per_api_call_beyond"
                case includedTransactions = "included_transactions"
                case pricePerTransactionBeyond = "price_per_transaction_beyond"
                case hardCap = "hard_cap"
            }
        }

        struct UsedJSON: Encodable, Sendable {
            let month: String
            let timezone: String
            let apiCalls: Int64
            let apiCallsLeft: Int64
            let apiCallsBeyond: Int64
            let transactions: Int64
            let transactionsLeft: Int64
            let items: [String: UsageController.CountJSON]

            enum CodingKeys: String, CodingKey {
                case month, timezone, items, transactions
                case apiCalls = "api_calls"
                case apiCallsLeft = "api_calls_left"
                case apiCallsBeyond = "api_calls_beyond"
                case transactionsLeft = "transactions_left"
            }
        }

        let plan: PlanJSON
        let status: String
        let statusReason: String?
        let timezone: String
        let currentPeriodStart: String
        let currentPeriodEnd: String
        let trialEndsAt: String?
        let scheduledPlan: String?
        let cancelAtPeriodEnd: Bool
        let overdueInvoices: [String]
        let rateLimitPerMinute: Int64
        /// The limit in force with its burst (the bucket's capacity).
        let rateLimit: RateLimitJSON
        let usage: UsedJSON

        init(_ view: SubscriptionState) {
            plan = PlanJSON(
                name: view.plan.name, monthlyFee: ShillingsJSON(view.plan.monthlyFee),
                includedAPICalls: view.plan.includedCalls,
                pricePerAPICallBeyond: ShillingsJSON(view.plan.overageFeePerCall),
                includedTransactions: view.plan.includedTransactions,
                pricePerTransactionBeyond: ShillingsJSON(view.plan.pricePerTransaction), hardCap: view.plan.hardCap)
            status = view.status.rawValue
            statusReason = view.record.reason
            timezone = UsageController.timezone
            trialEndsAt = view.record.trialEndsAtMs.map { RFC3339.string(ms: $0) }
            scheduledPlan = view.record.scheduledPlan
            cancelAtPeriodEnd = view.record.cancelAtPeriodEnd
            overdueInvoices = view.overdue.map(\.id.rawValue)
            currentPeriodStart = RFC3339.string(ms: view.currentPeriodStartMs)
            currentPeriodEnd = RFC3339.string(ms: view.currentPeriodEndMs)
            rateLimitPerMinute = view.rateLimitPerMinute
            rateLimit = RateLimitJSON(view.rateLimit)
            usage = UsedJSON(
                month: view.usage.month, timezone: UsageController.timezone, apiCalls: view.usage.apiCalls,
                apiCallsLeft: view.apiCallsLeft, apiCallsBeyond: view.apiCallsBeyond,
                transactions: view.transactions, transactionsLeft: view.transactionsLeft,
                items: UsageController.items(view.usage.items))
        }

        enum CodingKeys: String, CodingKey {
            case plan, status, usage, timezone
            case statusReason = "status_reason"
            case currentPeriodStart = "current_period_start"
            case currentPeriodEnd = "current_period_end"
            case trialEndsAt = "trial_ends_at"
            case scheduledPlan = "scheduled_plan"
            case cancelAtPeriodEnd = "cancel_at_period_end"
            case overdueInvoices = "overdue_invoices"
            case rateLimitPerMinute = "rate_limit_per_minute"
            case rateLimit = "rate_limit"
        }
    }

    struct PatchBody: Codable, Sendable {
        let plan: String?
        let cancelAtPeriodEnd: Bool?

        enum CodingKeys: String, CodingKey {
            case plan
            case cancelAtPeriodEnd = "cancel_at_period_end"
        }
    }

    @Sendable func patch(_ request: Request, context: PesaRequestContext) async throws -> SubscriptionJSON {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let body = try await request.decodeJSON(as: PatchBody.self, context: context)
        var changes = SubscriptionChanges()
        changes.plan = body.plan
        changes.cancelAtPeriodEnd = body.cancelAtPeriodEnd
        return SubscriptionJSON(
            try await gateway.updateSubscription(
                changes, in: organization, by: identity.actor(requestID: context.requestID)))
    }

    @Sendable func read(_ request: Request, context: PesaRequestContext) async throws -> SubscriptionJSON {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        return SubscriptionJSON(
            try await gateway.subscription(in: organization, by: identity.actor(requestID: context.requestID)))
    }

    static let patchSpec = RouteSpec(
        .patch, "/v1/subscription",
        summary: "Change plan (a dearer one at once, prorated to the day; a cheaper one at the period's end) or "
            + "cancel at the period's end",
        action: .updateSubscription, tag: "billing",
        requestBody: JSONSchema.object(["plan": JSONSchema.string, "cancel_at_period_end": JSONSchema.boolean]),
        query: ["org": JSONSchema.string], responseBody: schema, errors: [.invalidField, .conflict])

    static let spec = RouteSpec(
        .get, "/v1/subscription",
        summary: "The plan, subscription status and period, and this month's usage against what the plan includes",
        action: .readSubscription, tag: "billing", query: ["org": JSONSchema.string], responseBody: schema)

    static let schema = JSONSchema.object([
        "plan": JSONSchema.object([
            "name": JSONSchema.string, "monthly_fee": ["type": "number"], "included_api_calls": JSONSchema.integer,
            "price_per_api_call_beyond": ["type": "number"], "included_transactions": JSONSchema.integer,
            "price_per_transaction_beyond": ["type": "number"], "hard_cap": JSONSchema.boolean,
        ]),
        "status": JSONSchema.enumeration(SubscriptionStatus.allCases.map(\.rawValue)),
        "status_reason": JSONSchema.nullable(JSONSchema.string), "timezone": JSONSchema.string,
        "current_period_start": JSONSchema.dateTime, "current_period_end": JSONSchema.dateTime,
        "trial_ends_at": JSONSchema.nullable(JSONSchema.dateTime),
        "scheduled_plan": JSONSchema.nullable(JSONSchema.string), "cancel_at_period_end": JSONSchema.boolean,
        "overdue_invoices": JSONSchema.array(of: JSONSchema.string), "rate_limit_per_minute": JSONSchema.integer,
        "rate_limit": JSONSchema.rateLimit,
        "usage": JSONSchema.object([
            "month": JSONSchema.string, "timezone": JSONSchema.string, "api_calls": JSONSchema.integer,
            "api_calls_left": JSONSchema.integer, "api_calls_beyond": JSONSchema.integer,
            "transactions": JSONSchema.integer, "transactions_left": JSONSchema.integer,
            "items": UsageController.items,
        ]),
    ])
}
