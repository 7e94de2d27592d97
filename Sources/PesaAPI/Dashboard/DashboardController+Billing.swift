import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addBillingRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("billing", use: billing)
        group.get("billing/invoices/:id", use: invoiceDocument)
        group.post("billing/invoices/:id/pay", use: payInvoice)
        group.get("billing/invoices/:id/csv", use: invoiceCSV)
        group.post("billing/subscription", use: changeSubscription)
    }

    /// `GET /ui/billing`: what `GET /v1/subscription` shows (plan, status, period, this month's usage against the
    /// plan, Kenya time), the usage of `?month=` (the current one by default) day by day as `GET /v1/usage/daily`
    /// reads it, and the invoices of `GET /v1/invoices`, each linking to its printable page; an open invoice has
    /// a form to pay it by M-Pesa (`POST /v1/invoices/{id}/pay`). org_admin, as in the API.
    @Sendable func billing(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .readSubscription)
        let notice =
            request.uri.queryParameters.get("done") == "pay"
            ? "The payment request was sent: the phone shows an M-Pesa prompt. The invoice is marked paid once "
                + "the payment succeeds."
            : request.uri.queryParameters.get("done") == "subscription" ? "The subscription was changed." : nil
        let month = request.uri.queryParameters.get("month").map { String($0) }
        return try await billingPage(scope, notice: notice, usageMonth: month)
    }

    /// The billing page; `payForm` an invoice's pay form as typed, with its error.
    func billingPage(
        _ scope: DashboardScope, notice: String? = nil, payForm: InvoicePayForm? = nil,
        subscriptionError: String? = nil, usageMonth: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let state = try await gateway.subscription(in: scope.organization, by: scope.actor)
        let invoices = try await gateway.invoices(in: scope.organization, by: scope.actor)
        let plan = state.plan
        let usage: [[String: Any]] = [
            Self.usageRow("API calls", used: state.usage.apiCalls, included: plan.includedCalls),
            Self.usageRow(
                "Transactions (STK pushes and payouts)", used: state.transactions,
                included: plan.includedTransactions),
        ]
        let rows: [[String: Any]] = invoices.map { invoice in
            let typed = payForm?.invoiceID == invoice.id.rawValue ? payForm : nil
            return [
                "id": invoice.id.rawValue, "number": invoice.number ?? "draft", "month": invoice.month,
                "kind": invoice.kind == .creditNote ? "credit note" : "invoice", "status": invoice.status.rawValue,
                "total": DashboardFormat.kes(invoice.total),
                "due": invoice.dueAtMs.map { DashboardFormat.kenyaTime(ms: $0) } ?? "",
                "payable": invoice.kind == .invoice && invoice.status == .open,
                "phone": typed?.phone ?? "", "phone_error": DashboardPages.section(typed?.error),
                "idempotency_key": DashboardSessions.randomToken(),
            ]
        }
        var values: [String: Any] = [
            "plan": plan.name, "fee": DashboardFormat.kes(plan.monthlyFee), "status": state.status.rawValue,
            "reason": DashboardPages.section(state.record.reason),
            "period": DashboardFormat.kenyaTime(ms: state.currentPeriodStartMs) + " to "
                + DashboardFormat.kenyaTime(ms: state.currentPeriodEndMs) + " EAT",
            "month": state.usage.month, "usage": usage,
            "overdue": DashboardPages.section(
                state.overdue.isEmpty
                    ? nil : state.overdue.map { $0.number ?? $0.id.rawValue }.joined(separator: ", ")),
            "invoices": rows, "invoices_empty": rows.isEmpty, "notice": DashboardPages.section(notice),
            "pay_error": DashboardPages.section(payForm?.pageError),
            "subscription_form": scope.page.identity.principal.authorize(.updateSubscription, in: scope.organization)
                == .allowed,
            "plans": gateway.availablePlans.map { choice in
                [
                    "name": choice.name, "fee": DashboardFormat.kes(choice.monthlyFee),
                    "selected": choice.name == (state.record.scheduledPlan ?? plan.name),
                ] as [String: Any]
            },
            "scheduled_plan": DashboardPages.section(state.record.scheduledPlan),
            "cancel_at_period_end": state.record.cancelAtPeriodEnd,
            "subscription_error": DashboardPages.section(subscriptionError),
        ]
        values.merge(try await dailyUsageValues(scope, typed: usageMonth)) { $1 }
        return try await settingsPage(
            scope, title: "Billing", current: "/ui/billing", template: DashboardTemplates.billing, values: values,
            status: values["daily_month_error"] is String ? .unprocessableContent : status)
    }

    static func usageRow(_ label: String, used: Int64, included: Int64) -> [String: Any] {
        [
            "label": label, "used": String(used), "included": String(included),
            "left": String(max(0, included - used)), "beyond": used > included ? String(used - included) : "",
        ]
    }

    /// `GET /ui/billing/invoices/{id}`: the printable page `GET /v1/invoices/{id}.html` serves, for the session's
    /// user (another organization's invoice is a 404). Its own stylesheet is inline, so its policy allows inline
    /// styles, and nothing else.
    @Sendable func invoiceDocument(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .readInvoice)
        let invoice = try await gateway.invoice(try invoiceID(context), in: scope.organization, by: scope.actor)
        let settings = try await gateway.invoicePrintSettings()
        var response = InvoicesController.text(
            InvoiceDocument.html(invoice, settings: settings), type: "text/html; charset=utf-8")
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'; "
            + "base-uri 'none'"
        return response
    }

    /// `POST /ui/billing/invoices/{id}/pay`: `Gateway.payInvoice`, the use case of `POST /v1/invoices/{id}/pay`,
    /// with the form's idempotency key: a second submit of the form is the same push, never a second one.
    @Sendable func payInvoice(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .payInvoice)
        let id = try invoiceID(context)
        let fields = try await settingsForm(request, context: context, scope: scope)
        let phone = fields["phone"]?.trimmingCharacters(in: .whitespaces) ?? ""
        do {
            _ = try await gateway.payInvoice(
                id, phone: phone, in: scope.organization,
                idempotency: Self.formKey(fields).map {
                    IdempotencyInput(key: $0, requestHash: Self.valuesHash([phone]))
                },
                by: scope.actor)
            return DashboardPages.redirect(to: scope.link("/ui/billing", done: "pay"))
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            var form = InvoicePayForm(invoiceID: id.rawValue, phone: phone)
            if apiError.param == "phone" { form.error = apiError.message } else { form.pageError = apiError.message }
            return try await billingPage(scope, payForm: form, status: apiError.status)
        }
    }

    /// `GET /ui/billing/invoices/{id}/csv`: the invoice's lines as the CSV of `GET /v1/invoices/{id}.csv`.
    @Sendable func invoiceCSV(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .readInvoice)
        let invoice = try await gateway.invoice(try invoiceID(context), in: scope.organization, by: scope.actor)
        var response = InvoicesController.text(try InvoiceDocument.csv(invoice), type: "text/csv; charset=utf-8")
        let name = invoice.number ?? invoice.id.rawValue
        response.headers[.contentDisposition] = "attachment; filename=\"\(name).csv\""  // ASCII: number or id
        return response
    }

    /// `POST /ui/billing/subscription`: the plan and the end-of-period cancellation, through the use case of
    /// `PATCH /v1/subscription` (a dearer plan at once, a cheaper one at the period's end). Sending the same
    /// choice again changes nothing more.
    @Sendable func changeSubscription(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .updateSubscription)
        let fields = try await settingsForm(request, context: context, scope: scope)
        var changes = SubscriptionChanges()
        changes.plan = fields["plan"].flatMap { $0.isEmpty ? nil : $0 }
        switch fields["at_period_end"] {
        case "cancel": changes.cancelAtPeriodEnd = true
        case "keep": changes.cancelAtPeriodEnd = false
        default: break
        }
        do {
            _ = try await gateway.updateSubscription(changes, in: scope.organization, by: scope.actor)
            return DashboardPages.redirect(to: scope.link("/ui/billing", done: "subscription"))
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            return try await billingPage(scope, subscriptionError: apiError.message, status: apiError.status)
        }
    }

    func invoiceID(_ context: PesaRequestContext) throws -> InvoiceID {
        guard let text = context.parameters.get("id"), let id = try? InvoiceID(parsing: text) else {
            throw APIError.notFound()
        }
        return id
    }
}

/// An invoice's pay form as typed, and what refused it.
struct InvoicePayForm {
    let invoiceID: String
    let phone: String
    var error: String?
    var pageError: String?
}
