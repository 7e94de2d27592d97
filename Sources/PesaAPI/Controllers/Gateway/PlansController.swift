import Hummingbird
import PesaCore
import PesaEngine

/// `/v1/admin/plans` (super admin): the instance's plans, kept in its `system/` journal. Money is in integer
/// KES cents (`monthly_fee_cents`, `price_per_api_call_cents`, `price_per_transaction_cents`). A change makes a new
/// `version`, which applies from each subscriber's next period.
struct PlansController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.createSpec, use: create)
        routes.add(Self.listSpec, use: list)
        routes.add(Self.patchSpec, use: patch)
    }

    struct Body: Codable, Sendable {
        let name: String?
        let monthlyFeeCents: Int64?
        let includedAPICalls: Int64?
        let pricePerAPICallCents: Int64?
        let includedTransactions: Int64?
        let pricePerTransactionCents: Int64?
        let hardCap: Bool?
        let rateLimitPerMinute: Int64?
        let burst: Int64?
        let trialDays: Int64?

        enum CodingKeys: String, CodingKey {
            case name, burst
            case monthlyFeeCents = "monthly_fee_cents"
            case includedAPICalls = "included_api_calls"
            case pricePerAPICallCents = "price_per_api_call_cents"
            case includedTransactions = "included_transactions"
            case pricePerTransactionCents = "price_per_transaction_cents"
            case hardCap = "hard_cap"
            case rateLimitPerMinute = "rate_limit_per_minute"
            case trialDays = "trial_days"
        }

        var changes: PlanChanges {
            var changes = PlanChanges()
            changes.monthlyFee = monthlyFeeCents
            changes.includedAPICalls = includedAPICalls
            changes.pricePerAPICall = pricePerAPICallCents
            changes.includedTransactions = includedTransactions
            changes.pricePerTransaction = pricePerTransactionCents
            changes.hardCap = hardCap
            changes.rateLimitPerMinute = rateLimitPerMinute
            changes.burst = burst
            changes.trialDays = trialDays
            return changes
        }
    }

    struct PlanJSON: ResponseEncodable, Sendable {
        let id: String
        let name: String
        let version: Int64
        let monthlyFeeCents: Int64
        let includedAPICalls: Int64
        let pricePerAPICallCents: Int64
        let includedTransactions: Int64
        let pricePerTransactionCents: Int64
        let hardCap: Bool
        let rateLimitPerMinute: Int64
        let burst: Int64?
        let trialDays: Int64
        let updatedAt: String

        init(_ saved: PlanVersion) {
            let plan = saved.plan
            id = plan.name
            name = plan.name
            version = plan.version
            monthlyFeeCents = plan.monthlyFee.minorUnits
            includedAPICalls = plan.includedCalls
            pricePerAPICallCents = plan.overageFeePerCall.minorUnits
            includedTransactions = plan.includedTransactions
            pricePerTransactionCents = plan.pricePerTransaction.minorUnits
            hardCap = plan.hardCap
            rateLimitPerMinute = plan.rateLimitPerMinute
            burst = plan.burst
            trialDays = plan.trialDays
            updatedAt = RFC3339.string(ms: saved.savedAtMs)
        }

        enum CodingKeys: String, CodingKey {
            case id, name, version, burst
            case monthlyFeeCents = "monthly_fee_cents"
            case includedAPICalls = "included_api_calls"
            case pricePerAPICallCents = "price_per_api_call_cents"
            case includedTransactions = "included_transactions"
            case pricePerTransactionCents = "price_per_transaction_cents"
            case hardCap = "hard_cap"
            case rateLimitPerMinute = "rate_limit_per_minute"
            case trialDays = "trial_days"
            case updatedAt = "updated_at"
        }
    }

    @Sendable func create(_ request: Request, context: PesaRequestContext) async throws -> EditedResponse<PlanJSON> {
        let identity = try context.requireIdentity()
        let body = try await request.decodeJSON(as: Body.self, context: context)
        var missing: [String] = []
        if body.name == nil { missing.append("name") }
        if body.monthlyFeeCents == nil { missing.append("monthly_fee_cents") }
        if body.includedAPICalls == nil { missing.append("included_api_calls") }
        if body.rateLimitPerMinute == nil { missing.append("rate_limit_per_minute") }
        guard missing.isEmpty else {
            throw APIError.invalidField(missing[0], "missing required fields: \(missing.joined(separator: ", "))")
        }
        let plan = Plan(
            name: body.name ?? "", monthlyFee: Amount(minorUnits: body.monthlyFeeCents ?? 0),
            includedCalls: body.includedAPICalls ?? 0,
            overageFeePerCall: Amount(minorUnits: body.pricePerAPICallCents ?? 0),
            rateLimitPerMinute: body.rateLimitPerMinute ?? 0, includedTransactions: body.includedTransactions ?? 0,
            pricePerTransaction: Amount(minorUnits: body.pricePerTransactionCents ?? 0), hardCap: body.hardCap ?? false,
            burst: body.burst, trialDays: body.trialDays ?? 0)
        let saved = try await gateway.createPlan(plan, by: identity.actor(requestID: context.requestID))
        return EditedResponse(status: .created, response: PlanJSON(saved))
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<PlanJSON> {
        let identity = try context.requireIdentity()
        let plans = try await gateway.plans(by: identity.actor(requestID: context.requestID))
        return ListResponse(data: plans.map(PlanJSON.init), nextCursor: nil)
    }

    @Sendable func patch(_ request: Request, context: PesaRequestContext) async throws -> PlanJSON {
        let identity = try context.requireIdentity()
        let id = try context.parameters.require("id")
        let body = try await request.decodeJSON(as: Body.self, context: context)
        if let name = body.name, name != id {
            throw APIError.invalidField("name", "a plan's name never changes; create another plan")
        }
        return PlanJSON(
            try await gateway.updatePlan(id, body.changes, by: identity.actor(requestID: context.requestID)))
    }

    static let fields: [String: JSONValue] = [
        "name": JSONSchema.string, "monthly_fee_cents": JSONSchema.integer, "included_api_calls": JSONSchema.integer,
        "price_per_api_call_cents": JSONSchema.integer, "included_transactions": JSONSchema.integer,
        "price_per_transaction_cents": JSONSchema.integer, "hard_cap": JSONSchema.boolean,
        "rate_limit_per_minute": JSONSchema.integer, "burst": JSONSchema.integer, "trial_days": JSONSchema.integer,
    ]
    static let plan = JSONSchema.object(
        fields.merging([
            "id": JSONSchema.string, "version": JSONSchema.integer, "updated_at": JSONSchema.dateTime,
        ]) { $1 })

    static let createSpec = RouteSpec(
        .post, "/v1/admin/plans", summary: "Add a plan (money in integer KES cents)", action: .managePlans,
        tag: "billing",
        requestBody: JSONSchema.object(
            fields, required: ["name", "monthly_fee_cents", "included_api_calls", "rate_limit_per_minute"]),
        successStatus: .created, responseBody: plan, errors: [.invalidField, .conflict])
    static let listSpec = RouteSpec(
        .get, "/v1/admin/plans", summary: "The instance's plans, current versions", action: .listPlans,
        tag: "billing", responseBody: JSONSchema.page(of: plan))
    static let patchSpec = RouteSpec(
        .patch, "/v1/admin/plans/{id}",
        summary: "Change a plan's prices, inclusions or limits: a new version, applied from each subscriber's next "
            + "period", action: .managePlans, tag: "billing", requestBody: JSONSchema.object(fields),
        responseBody: plan, errors: [.invalidField, .notFound])
}
