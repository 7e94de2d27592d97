import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    /// `GET /ui/`: the organization's day and month (Kenya time), this month by status, the ten latest payments
    /// and the last known balances. The counts and balances need the role the API's summary and balance need
    /// (manager); a user sees the latest payments only. A super admin names the organization with `?org=`, as in
    /// the API; without it, they get the list of organizations to pick from.
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
        let nowMs = gateway.wallClockMs
        let monthStartMs = KenyaTime.month(KenyaTime.monthKey(ms: nowMs))?.startMs ?? nowMs
        let dayStartMs = KenyaTime.startMs(ofDay: KenyaTime.dayIndex(ms: nowMs))
        let showsSummary = principal.authorize(.readReportSummary, in: organization) == .allowed
        let (today, month, recent) = try await engine.read { state -> (PaymentSummary?, PaymentSummary?, [Payment]) in
            let recent = state.payments.list(PaymentFilter(), limit: 10).payments
            guard showsSummary else { return (nil, nil, recent) }
            return (
                state.payments.summary(PaymentFilter(fromMs: dayStartMs)),
                state.payments.summary(PaymentFilter(fromMs: monthStartMs)), recent
            )
        }
        var values: [String: Any] = [
            "recent": recent.map(Self.row), "recent_empty": recent.isEmpty, "summary": false, "balances_shown": false,
        ]
        if let today, let month {
            values["summary"] =
                [
                    "today_count": String(today.total.count), "today_volume": DashboardFormat.kes(today.total.volume),
                    "month_count": String(month.total.count), "month_volume": DashboardFormat.kes(month.total.volume),
                    "by_status": PaymentStatus.allCases.map { status in
                        let tally = month.byStatus[status]
                        return [
                            "status": status.rawValue, "count": String(tally?.count ?? 0),
                            "volume": DashboardFormat.kes(tally?.volume ?? .zero),
                        ]
                    },
                ] as [String: Any]
        }
        if principal.authorize(.readBalance, in: organization) == .allowed {
            let balances = try await gateway.balances(
                in: organization, by: page.identity.actor(requestID: context.requestID))
            values["balances_shown"] = true
            values["balances_empty"] = balances.accounts.isEmpty
            values["balances"] = balances.accounts.map { account in
                [
                    "short_code": account.shortCode ?? "", "account": account.account,
                    "available": DashboardFormat.kes(account.available),
                    "as_of": DashboardFormat.kenyaTime(ms: account.asOfMs),
                ]
            }
        }
        return DashboardPages.page(
            title: "Overview",
            layout: DashboardLayout(organizationName: record.name, page: page, currentPath: "/ui/"),
            template: DashboardTemplates.overview, context: values)
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
