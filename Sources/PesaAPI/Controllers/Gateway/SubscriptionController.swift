import Hummingbird
import PesaCore
import PesaEngine

/// `GET /v1/subscription` (org_admin): the organization's plan, subscription status and period, and this month's
/// usage against what the plan includes (Kenya time).
struct SubscriptionController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.spec, use: read)
    }

    struct SubscriptionJSON: ResponseEncodable, Sendable {
        struct PlanJSON: Encodable, Sendable {
            let name: String
            let monthlyFee: ShillingsJSON
            let includedAPICalls: Int64
            let pricePerAPICallBeyond: ShillingsJSON

            enum CodingKeys: String, CodingKey {
                case name
                case monthlyFee = "monthly_fee"
                case includedAPICalls = "included_api_calls"
                case pricePerAPICallBeyond = "price_per_api_call_beyond"
            }
        }

        struct UsedJSON: Encodable, Sendable {
            let month: String
            let timezone: String
            let apiCalls: Int64
            let apiCallsLeft: Int64
            let apiCallsBeyond: Int64
            let items: [String: UsageController.CountJSON]

            enum CodingKeys: String, CodingKey {
                case month, timezone, items
                case apiCalls = "api_calls"
                case apiCallsLeft = "api_calls_left"
                case apiCallsBeyond = "api_calls_beyond"
            }
        }

        let plan: PlanJSON
        let status: String
        let currentPeriodStart: String
        let currentPeriodEnd: String
        let rateLimitPerMinute: Int64
        /// The limit in force with its burst (the bucket's capacity).
        let rateLimit: RateLimitJSON
        let usage: UsedJSON

        init(_ view: SubscriptionState) {
            plan = PlanJSON(
                name: view.plan.name, monthlyFee: ShillingsJSON(view.plan.monthlyFee),
                includedAPICalls: view.plan.includedCalls,
                pricePerAPICallBeyond: ShillingsJSON(view.plan.overageFeePerCall))
            status = view.status.rawValue
            currentPeriodStart = RFC3339.string(ms: view.currentPeriodStartMs)
            currentPeriodEnd = RFC3339.string(ms: view.currentPeriodEndMs)
            rateLimitPerMinute = view.rateLimitPerMinute
            rateLimit = RateLimitJSON(view.rateLimit)
            usage = UsedJSON(
                month: view.usage.month, timezone: UsageController.timezone, apiCalls: view.usage.apiCalls,
                apiCallsLeft: view.apiCallsLeft, apiCallsBeyond: view.apiCallsBeyond,
                items: UsageController.items(view.usage.items))
        }

        enum CodingKeys: String, CodingKey {
            case plan, status, usage
            case currentPeriodStart = "current_period_start"
            case currentPeriodEnd = "current_period_end"
            case rateLimitPerMinute = "rate_limit_per_minute"
            case rateLimit = "rate_limit"
        }
    }

    @Sendable func read(_ request: Request, context: PesaRequestContext) async throws -> SubscriptionJSON {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        return SubscriptionJSON(
            try await gateway.subscription(in: organization, by: identity.actor(requestID: context.requestID)))
    }

    static let spec = RouteSpec(
        .get, "/v1/subscription",
        summary: "The plan, subscription status and period, and this month's usage against what the plan includes",
        action: .readSubscription, tag: "billing", query: ["org": JSONSchema.string],
        responseBody: JSONSchema.object([
            "plan": JSONSchema.object([
                "name": JSONSchema.string, "monthly_fee": ["type": "number"],
                "included_api_calls": JSONSchema.integer, "price_per_api_call_beyond": ["type": "number"],
            ]),
            "status": JSONSchema.enumeration(SubscriptionStatus.allCases.map(\.rawValue)),
            "current_period_start": JSONSchema.dateTime, "current_period_end": JSONSchema.dateTime,
            "rate_limit_per_minute": JSONSchema.integer, "rate_limit": JSONSchema.rateLimit,
            "usage": JSONSchema.object([
                "month": JSONSchema.string, "timezone": JSONSchema.string, "api_calls": JSONSchema.integer,
                "api_calls_left": JSONSchema.integer, "api_calls_beyond": JSONSchema.integer,
                "items": UsageController.items,
            ]),
        ]))
}
