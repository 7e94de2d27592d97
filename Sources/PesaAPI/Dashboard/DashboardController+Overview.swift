import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    /// `GET /ui/`: the organization's day and month (Kenya time) against yesterday up to the same time and last
    /// month up to the same day and time, with their success rates; this month by status; usage against the plan;
    /// what needs attention, each with a link to where to act; the ten latest payments and the last known
    /// balances. The figures need the role the API's summary needs (manager), usage the one of `GET /v1/usage`,
    /// each attention item the role of the page it links to; a user sees the latest payments only. Nothing here
    /// walks the payments: day aggregates, the pending rows and the newest rows only. A super admin names the
    /// organization with `?org=`, as in the API; without it, they get the list of organizations to pick from.
    @Sendable func overview(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let page = try await signedIn(request, context: context)
        let principal = page.identity.principal
        if principal.organizationID == nil, request.uri.queryParameters.get("org") == nil {
            return try await organizationList(page: page, context: context)
        }
        let organization = try context.targetOrganization(request)
        try context.require(.listTransactions, in: organization)
        let engine = try await gateway.engine(organization)
        guard let record = engine.accessView.organization else { throw APIError.notFound() }
        let periods = OverviewPeriods(nowMs: gateway.wallClockMs)
        let reconcileAfterMs = gateway.payments.reconcileAfterMs
        let shows = { (action: Action) in principal.authorize(action, in: organization) == .allowed }
        let showsSummary = shows(.readReportSummary)
        let read = try await engine.read { state in
            let recent = state.payments.list(PaymentFilter(), limit: 10).payments
            guard showsSummary else { return OverviewRead(recent: recent) }
            var read = OverviewRead(recent: recent)
            read.figures = periods.figures(state.payments)
            read.month = state.payments.summary(PaymentFilter(fromMs: periods.monthStartMs))
            read.attention = OverviewAttention(state, nowMs: periods.nowMs, reconcileAfterMs: reconcileAfterMs)
            return read
        }
        var values: [String: Any] = [
            "recent": read.recent.map(Self.row), "recent_empty": read.recent.isEmpty, "summary": false,
            "balances_shown": false, "usage_shown": false, "attention_shown": false,
        ]
        let org = principal.organizationID == nil ? organization.rawValue : nil
        if let figures = read.figures, let month = read.month {
            let cut = DashboardFormat.kenyaTime(ms: periods.nowMs)
            values["summary"] =
                [
                    "tiles": [
                        OverviewPeriods.tile(
                            "Today", figures.today, against: figures.yesterday,
                            previousLabel: "yesterday up to \(cut.suffix(5))"),
                        OverviewPeriods.tile(
                            "This month", figures.month, against: figures.lastMonth,
                            previousLabel: "last month up to "
                                + DashboardFormat.kenyaTime(ms: periods.lastMonthCutMs - 1).prefix(10) + " "
                                + cut.suffix(5)),
                    ],
                    "by_status": PaymentStatus.allCases.map { status in
                        let tally = month.byStatus[status]
                        return [
                            "status": status.rawValue, "count": String(tally?.count ?? 0),
                            "volume": DashboardFormat.kes(tally?.volume ?? .zero),
                        ]
                    },
                ] as [String: Any]
            let items = read.attention.items(reconcileAfterMs: reconcileAfterMs, shows: shows) { path in
                guard let org else { return path }
                return path + (path.contains("?") ? "&" : "?") + "org=" + org
            }
            values["attention_shown"] = true
            values["attention"] = items
            values["attention_empty"] = items.isEmpty
        }
        if shows(.readUsage) {
            let usage = try await gateway.planUsage(
                in: organization, by: page.identity.actor(requestID: context.requestID))
            values["usage_shown"] = true
            values["usage_plan"] = usage.plan.name
            values["usage_month"] = usage.month
            values["usage"] = [
                OverviewPeriods.usageRow("API calls", used: usage.apiCalls, included: usage.plan.includedCalls),
                OverviewPeriods.usageRow(
                    "Transactions (STK pushes and payouts)", used: usage.transactions,
                    included: usage.plan.includedTransactions),
            ]
        }
        if shows(.readBalance) {
            let balances = try await gateway.balances(
                in: organization, by: page.identity.actor(requestID: context.requestID))
            let checkable =
                shows(.createBalanceCheck)
                ? try await engine.read { state in state.activeShortCodes.filter(\.hasInitiator).map(\.shortCode) } : []
            let rows = Self.balanceRows(balances.accounts, checkable: checkable)
            values["balances_shown"] = true
            values["balances_empty"] = rows.isEmpty
            values["balances"] = rows
            values["csrf_token"] = page.session.csrfToken
            values["org_query"] = org.map { "?org=" + $0 } ?? ""
        }
        return DashboardPages.page(
            title: "Overview",
            layout: DashboardLayout(organizationName: record.name, page: page, currentPath: "/ui/"),
            template: DashboardTemplates.overview, context: values)
    }

    /// What the overview reads under the tenant's lock.
    struct OverviewRead: Sendable {
        var recent: [Payment]
        var figures: (today: PaymentPeriod, yesterday: PaymentPeriod, month: PaymentPeriod, lastMonth: PaymentPeriod)?
        var month: PaymentSummary?
        var attention = OverviewAttention()

        init(recent: [Payment]) { self.recent = recent }
    }

    static func row(_ payment: Payment) -> [String: Any] {
        [
            "id": payment.id.rawValue, "status": payment.status.rawValue,
            "amount": DashboardFormat.kes(payment.amount), "phone": payment.phone,
            "description": payment.description ?? payment.accountReference ?? "",
            "created": DashboardFormat.kenyaTime(ms: payment.createdAtMs),
        ]
    }

    /// A super admin's start page: the organizations, each linking to its overview.
    func organizationList(page: DashboardPage, context: PesaRequestContext) async throws -> Response {
        let (views, _) = try await gateway.organizations(
            by: page.identity.actor(requestID: context.requestID), limit: Limits.listLimitMaxCount)
        let rows: [[String: Any]] = views.map { view in
            [
                "id": view.record.id.rawValue, "name": view.record.name, "slug": view.record.slug.rawValue,
                "plan": view.record.plan, "status": view.record.status.rawValue,
            ]
        }
        return DashboardPages.page(
            title: "Organizations", layout: DashboardLayout(page: page, currentPath: "/ui/"),
            template: DashboardTemplates.organizations, context: ["orgs": rows])
    }
}
