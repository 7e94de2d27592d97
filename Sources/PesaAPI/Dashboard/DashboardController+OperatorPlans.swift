import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addOperatorPlanRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("admin/plans", use: operatorPlans)
        group.post("admin/plans", use: createOperatorPlan)
        group.get("admin/plans/:name", use: operatorPlan)
        group.post("admin/plans/:name", use: updateOperatorPlan)
    }

    /// `GET /ui/admin/plans`: the instance's plans as `GET /v1/admin/plans` lists them (their current versions),
    /// and the form of `POST /v1/admin/plans`.
    @Sendable func operatorPlans(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await operatorScope(request, context: context, action: .listPlans)
        let notice = request.uri.queryParameters.get("done") == "saved" ? "The plan was saved." : nil
        return try await plansPage(scope, form: PlanForm(name: nil), notice: notice)
    }

    func plansPage(
        _ scope: OperatorScope, form: PlanForm, notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let plans = try await gateway.plans(by: scope.actor)
        let rows: [[String: Any]] = plans.map { saved in
            let plan = saved.plan
            return [
                "name": plan.name, "version": String(plan.version), "fee": DashboardFormat.kes(plan.monthlyFee),
                "calls": String(plan.includedCalls), "per_call": DashboardFormat.kes(plan.overageFeePerCall),
                "transactions": String(plan.includedTransactions),
                "per_transaction": DashboardFormat.kes(plan.pricePerTransaction), "hard_cap": plan.hardCap,
                "rate": Self.rateLimitText(plan.effectiveRateLimit(override: nil)), "trial": String(plan.trialDays),
                "updated": DashboardFormat.kenyaTime(ms: saved.savedAtMs),
            ]
        }
        var values = form.context
        values["rows"] = rows
        values["notice"] = DashboardPages.section(notice)
        values["can_write"] = scope.page.identity.principal.authorize(.managePlans, in: nil) == .allowed
        return operatorPage(
            scope, title: "Plans", current: "/ui/admin/plans", template: DashboardTemplates.operatorPlans,
            values: values, status: status)
    }

    /// `POST /ui/admin/plans`: `Gateway.createPlan`, the use case of `POST /v1/admin/plans`, once per form.
    @Sendable func createOperatorPlan(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await operatorScope(request, context: context, action: .managePlans)
        let fields = try await operatorForm(request, context: context, scope: scope)
        var form = PlanForm(name: nil)
        form.read(fields)
        do {
            let plan = try form.plan()
            _ = try await onceIn(
                .system, route: "POST /ui/admin/plans", key: Self.formKey(fields), hash: form.hash, scope: scope
            ) {
                (try await gateway.createPlan(plan, by: scope.actor).plan.name, "")
            }
            return DashboardPages.redirect(to: "/ui/admin/plans?done=saved")
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            form.fail(apiError)
            return try await plansPage(scope, form: form, status: apiError.status)
        }
    }

    /// `GET /ui/admin/plans/{name}`: the form of `PATCH /v1/admin/plans/{name}`, filled with the current version.
    @Sendable func operatorPlan(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await operatorScope(request, context: context, action: .managePlans)
        let plan = try await currentPlan(context, scope: scope)
        var form = PlanForm(name: plan.name)
        form.fill(plan)
        return planPage(scope, form: form)
    }

    func planPage(_ scope: OperatorScope, form: PlanForm, status: HTTPResponse.Status = .ok) -> Response {
        operatorPage(
            scope, title: "Plan \(form.name ?? "")", current: "/ui/admin/plans",
            template: DashboardTemplates.operatorPlan,
            values: form.context, status: status)
    }

    /// `POST /ui/admin/plans/{name}`: `Gateway.updatePlan` with every value of the form (a new version, applied
    /// from each subscriber's next period), once per form.
    @Sendable func updateOperatorPlan(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await operatorScope(request, context: context, action: .managePlans)
        let current = try await currentPlan(context, scope: scope)
        let fields = try await operatorForm(request, context: context, scope: scope)
        var form = PlanForm(name: current.name)
        form.read(fields)
        do {
            let changes = try form.changes()
            _ = try await onceIn(
                .system, route: "POST /ui/admin/plans/{name}", key: Self.formKey(fields),
                hash: Self.valuesHash([current.name, form.hash]), scope: scope
            ) {
                (try await gateway.updatePlan(current.name, changes, by: scope.actor).plan.name, "")
            }
            return DashboardPages.redirect(to: "/ui/admin/plans?done=saved")
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            form.fail(apiError)
            return planPage(scope, form: form, status: apiError.status)
        }
    }

    func currentPlan(_ context: PesaRequestContext, scope: OperatorScope) async throws -> Plan {
        let name = context.parameters.get("name") ?? ""
        guard let saved = try await gateway.plans(by: scope.actor).first(where: { $0.plan.name == name }) else {
            throw APIError.notFound()
        }
        return saved.plan
    }
}

/// A plan's form as typed (`name` nil: a new plan), and what refused it. Money is typed in shillings (`2,500`
/// or `0.50`), as the pages show it.
struct PlanForm {
    struct Field {
        let name: String
        let label: String
        let money: Bool
    }

    static let fields = [
        Field(name: "monthly_fee", label: "Monthly fee (KES)", money: true),
        Field(name: "included_api_calls", label: "API calls included", money: false),
        Field(name: "price_per_api_call", label: "Each API call beyond (KES)", money: true),
        Field(name: "included_transactions", label: "Transactions included", money: false),
        Field(name: "price_per_transaction", label: "Each transaction beyond (KES)", money: true),
        Field(name: "rate_limit_per_minute", label: "Rate limit (requests a minute)", money: false),
        Field(name: "burst", label: "Burst (blank: a minute's worth)", money: false),
        Field(name: "trial_days", label: "Trial days", money: false),
    ]
    static let required = ["name", "monthly_fee", "included_api_calls", "rate_limit_per_minute"]

    let name: String?
    var values: [String: String] = [:]
    var hardCap = false
    var errors: [String: String] = [:]
    var error: String?

    init(name: String?) {
        self.name = name
    }

    mutating func read(_ fields: [String: String]) {
        for field in Self.fields.map(\.name) + ["name"] {
            values[field] = fields[field]?.trimmingCharacters(in: .whitespaces) ?? ""
        }
        hardCap = fields["hard_cap"] != nil
    }

    mutating func fill(_ plan: Plan) {
        let money = { (amount: Amount) in String(DashboardFormat.kes(amount).dropFirst(4)) }
        values = [
            "monthly_fee": money(plan.monthlyFee), "included_api_calls": String(plan.includedCalls),
            "price_per_api_call": money(plan.overageFeePerCall),
            "included_transactions": String(plan.includedTransactions),
            "price_per_transaction": money(plan.pricePerTransaction),
            "rate_limit_per_minute": String(plan.rateLimitPerMinute), "burst": plan.burst.map(String.init) ?? "",
            "trial_days": String(plan.trialDays),
        ]
        hardCap = plan.hardCap
    }

    /// What identifies the form's request.
    var hash: String {
        DashboardController.valuesHash(
            (["name"] + Self.fields.map(\.name)).map { values[$0] ?? "" } + [hardCap ? "1" : ""])
    }

    /// The number typed in `field` (money in cents), nil when blank; a field error when it is no number.
    mutating func number(_ field: Field) -> Int64? {
        let text = values[field.name] ?? ""
        guard !text.isEmpty else {
            if name == nil, Self.required.contains(field.name) { errors[field.name] = "Required." }
            return nil
        }
        let parsed = field.money ? Self.cents(text) : Int64(text)
        if parsed == nil {
            errors[field.name] =
                field.money ? "Enter an amount in shillings, e.g. 2,500 or 0.50." : "Enter a whole number."
        }
        return parsed
    }

    /// Each number of the form, by field name; throws a 422 when one is missing or no number.
    mutating func numbers() throws -> [String: Int64] {
        var found: [String: Int64] = [:]
        for field in Self.fields { found[field.name] = number(field) }
        if name == nil, (values["name"] ?? "").isEmpty { errors["name"] = "Required." }
        guard errors.isEmpty else { throw APIError.invalidField("form", "Correct the fields marked.") }
        return found
    }

    mutating func plan() throws -> Plan {
        let found = try numbers()
        return Plan(
            name: values["name"] ?? "", monthlyFee: Amount(minorUnits: found["monthly_fee"] ?? 0),
            includedCalls: found["included_api_calls"] ?? 0,
            overageFeePerCall: Amount(minorUnits: found["price_per_api_call"] ?? 0),
            rateLimitPerMinute: found["rate_limit_per_minute"] ?? 0,
            includedTransactions: found["included_transactions"] ?? 0,
            pricePerTransaction: Amount(minorUnits: found["price_per_transaction"] ?? 0), hardCap: hardCap,
            burst: found["burst"], trialDays: found["trial_days"] ?? 0)
    }

    mutating func changes() throws -> PlanChanges {
        let found = try numbers()
        var changes = PlanChanges()
        changes.monthlyFee = found["monthly_fee"]
        changes.includedAPICalls = found["included_api_calls"]
        changes.pricePerAPICall = found["price_per_api_call"]
        changes.includedTransactions = found["included_transactions"]
        changes.pricePerTransaction = found["price_per_transaction"]
        changes.hardCap = hardCap
        changes.rateLimitPerMinute = found["rate_limit_per_minute"]
        changes.burst = found["burst"]
        changes.trialDays = found["trial_days"]
        return changes
    }

    /// `2,500`, `2500.5` or `0.50` shillings in cents; nil for anything else.
    static func cents(_ text: String) -> Int64? {
        let plain = text.replacingOccurrences(of: ",", with: "")
        let parts = plain.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 12, whole.allSatisfy(\.isASCIIDigit),
            let shillings = Int64(whole)
        else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigit) else { return nil }
            cents = (Int64(fraction) ?? 0) * (fraction.count == 1 ? 10 : 1)
        }
        return shillings * 100 + cents
    }

    mutating func fail(_ apiError: APIError) {
        if let param = apiError.param, param == "name" || Self.fields.contains(where: { $0.name == param }) {
            errors[param] = apiError.message
        } else if errors.isEmpty {
            error = apiError.message
        }
    }

    var context: [String: Any] {
        [
            "editing": name != nil, "plan_name": name ?? "", "name_value": values["name"] ?? "",
            "name_error": DashboardPages.section(errors["name"]),
            "fields": Self.fields.map { field in
                [
                    "name": field.name, "label": field.label, "value": values[field.name] ?? "",
                    "error": DashboardPages.section(errors[field.name]),
                ] as [String: Any]
            },
            "hard_cap": hardCap, "error": DashboardPages.section(error),
            "idempotency_key": DashboardSessions.randomToken(),
        ]
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
