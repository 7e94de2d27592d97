import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addOperatorBillingRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("admin/usage", use: operatorUsage)
        group.get("admin/billing", use: operatorBilling)
        group.post("admin/billing/runs", use: runOperatorBilling)
        group.post("admin/billing/invoices/:id/mark-paid", use: markOperatorInvoicePaid)
        group.post("admin/billing/invoices/:id/void", use: voidOperatorInvoice)
        addOperatorBillingSettingsRoutes(to: group)
    }

    /// `GET /ui/admin/usage?month=YYYY-MM`: every organization's usage of a Kenya month as `GET /v1/admin/usage`
    /// counts it (`Gateway.allUsage`; largest volume first), with the totals.
    @Sendable func operatorUsage(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await operatorScope(request, context: context, action: .readAllUsage)
        let typed = request.uri.queryParameters.get("month").map { String($0).trimmingCharacters(in: .whitespaces) }
        let asked = typed.flatMap { $0.isEmpty ? nil : $0 }
        var values: [String: Any] = ["month_value": typed ?? "", "month_error": false, "shown": false]
        do {
            let rows = try await gateway.allUsage(month: asked, by: scope.actor)
            let month = try await gateway.usageMonthText(asked)
            let counted = rows.map { row in
                (row, UsageController.transactions(row.usage), UsageController.volume(row.usage))
            }.sorted { ($0.2.minorUnits, $1.0.slug) > ($1.2.minorUnits, $0.0.slug) }
            values["month_value"] = month
            values["shown"] = true
            values["rows"] = counted.map { row, transactions, volume in
                [
                    "id": row.organizationID.rawValue, "name": row.name, "slug": row.slug,
                    "calls": String(row.usage.apiCalls), "transactions": String(transactions),
                    "volume": DashboardFormat.kes(volume),
                ]
            }
            values["empty"] = counted.isEmpty
            values["total_orgs"] = String(counted.count)
            values["total_calls"] = String(counted.reduce(Int64(0)) { $0 + $1.0.usage.apiCalls })
            values["total_transactions"] = String(counted.reduce(Int64(0)) { $0 + $1.1 })
            values["total_volume"] = DashboardFormat.kes(
                minorUnits: counted.reduce(Int64(0)) { $0 + $1.2.minorUnits })
        } catch {
            guard let apiError = Self.formError(error), apiError.param == "month" else { throw error }
            values["month_error"] = apiError.message
        }
        return operatorPage(
            scope, title: "Usage", current: "/ui/admin/usage", template: DashboardTemplates.operatorUsage,
            values: values, status: values["month_error"] is String ? .unprocessableContent : .ok)
    }

    /// `GET /ui/admin/billing`: the form of `POST /v1/admin/billing/runs` and the instance's numbered invoices as
    /// `GET /v1/admin/invoices` lists them (newest number first, filtered by month and status), an open one
    /// with the forms of `mark-paid` (its reference) and `void` (its reason).
    @Sendable func operatorBilling(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await operatorScope(request, context: context, action: .manageBilling)
        let notices = [
            "paid": "The invoice was marked paid.", "void": "The invoice was voided; a credit note cancels it.",
        ]
        let notice = request.uri.queryParameters.get("done").flatMap { notices[String($0)] }
        let query = request.uri.queryParameters
        let text = { (name: String) in query.get(name)?.trimmingCharacters(in: .whitespaces) ?? "" }
        let filter = InvoiceFilterForm(month: text("month"), status: text("status"), after: text("after"))
        return try await billingRunsPage(scope, filter: filter, notice: notice)
    }

    func billingRunsPage(
        _ scope: OperatorScope, filter typed: InvoiceFilterForm = InvoiceFilterForm(), notice: String? = nil,
        run: BillingRunForm = BillingRunForm(), invoiceForm: InvoiceActionForm? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (month, statusText, after) = (typed.month, typed.status, typed.after)
        let filterStatus = InvoiceStatus(rawValue: statusText)
        guard statusText.isEmpty || filterStatus != nil else {
            throw APIError.invalidField("status", "status must be one of draft, open, paid or void")
        }
        let invoices = try await gateway.allInvoices(
            month: month.isEmpty ? nil : month, status: filterStatus, by: scope.actor)
        let start = after.isEmpty ? 0 : (invoices.firstIndex { $0.id.rawValue == after }.map { $0 + 1 } ?? 0)
        let shown = invoices.dropFirst(start).prefix(Self.operatorPageCount)
        let rows = shown.map { invoice in
            Self.invoiceRow(invoice, typed: invoiceForm?.invoiceID == invoice.id.rawValue ? invoiceForm : nil)
        }
        var filter: [String] = []
        if !month.isEmpty {
            filter.append("month=" + (month.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        if let filterStatus { filter.append("status=" + filterStatus.rawValue) }
        let more = invoices.count > start + shown.count
        var values = run.context
        values.merge([
            "invoices": rows, "invoices_empty": rows.isEmpty, "notice": DashboardPages.section(notice),
            "filter_month": month,
            "statuses": InvoiceStatus.allCases.map {
                ["value": $0.rawValue, "selected": $0 == filterStatus] as [String: Any]
            },
            "invoice_error": DashboardPages.section(invoiceForm?.pageError),
            "next": DashboardPages.section(
                more
                    ? shown.last.map {
                        "/ui/admin/billing?" + (filter + ["after=" + $0.id.rawValue]).joined(separator: "&")
                    } : nil),
        ]) { $1 }
        return operatorPage(
            scope, title: "Billing runs", current: "/ui/admin/billing", template: DashboardTemplates.operatorBilling,
            values: values, status: status)
    }

    static func invoiceRow(_ invoice: Invoice, typed: InvoiceActionForm?) -> [String: Any] {
        var row: [String: Any] = [
            "id": invoice.id.rawValue, "number": invoice.number ?? "draft", "org": invoice.organizationName ?? "",
            "month": invoice.month, "status": invoice.status.rawValue, "total": DashboardFormat.kes(invoice.total),
        ]
        row["kind"] = invoice.kind == .creditNote ? "credit note" : "invoice"
        row["due"] = invoice.dueAtMs.map { DashboardFormat.kenyaTime(ms: $0) } ?? ""
        row["open"] = invoice.kind == .invoice && invoice.status == .open
        row["reference"] = typed?.reference ?? ""
        row["reference_error"] = DashboardPages.section(typed?.referenceError)
        row["reason"] = typed?.reason ?? ""
        row["reason_error"] = DashboardPages.section(typed?.reasonError)
        row["paid_key"] = DashboardSessions.randomToken()
        row["void_key"] = DashboardSessions.randomToken()
        return row
    }

    /// `POST /ui/admin/billing/runs`: `Gateway.runBilling`, the use case of `POST /v1/admin/billing/runs` (the
    /// month in progress gets drafts to date; an ended month is finalized after its draft period, or at once
    /// with `finalize`), once per form: the run's result is journaled with the form's key and shown again, not
    /// run again, when the form is sent twice.
    @Sendable func runOperatorBilling(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await operatorScope(request, context: context, action: .manageBilling)
        let fields = try await operatorForm(request, context: context, scope: scope)
        var form = BillingRunForm()
        form.month = fields["month"]?.trimmingCharacters(in: .whitespaces) ?? ""
        form.finalize = fields["finalize"] != nil
        do {
            let done = try await onceIn(
                .system, route: "POST /ui/admin/billing/runs", key: Self.formKey(fields),
                hash: Self.valuesHash([form.month, form.finalize ? "1" : ""]), scope: scope
            ) {
                let run = try await gateway.runBilling(month: form.month, finalizeNow: form.finalize, by: scope.actor)
                return (run.month, BillingRunForm.summary(run))
            }
            form.show(month: done.id, summary: done.text, replayed: done.replayed)
            return try await billingRunsPage(scope, run: form)
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            form.error = apiError.message
            return try await billingRunsPage(scope, run: form, status: apiError.status)
        }
    }

    /// `POST /ui/admin/billing/invoices/{id}/mark-paid`: `Gateway.markInvoicePaid` with the reference the use
    /// case requires, once per form.
    @Sendable func markOperatorInvoicePaid(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await settleOperatorInvoice(request, context: context, field: "reference", done: "paid") {
            id, text, actor in
            _ = try await gateway.markInvoicePaid(id, reference: text, by: actor)
        }
    }

    /// `POST /ui/admin/billing/invoices/{id}/void`: `Gateway.voidInvoice` with the reason the use case requires
    /// (a credit note is issued), once per form.
    @Sendable func voidOperatorInvoice(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await settleOperatorInvoice(request, context: context, field: "reason", done: "void") { id, text, actor in
            _ = try await gateway.voidInvoice(id, reason: text, by: actor)
        }
    }

    func settleOperatorInvoice(
        _ request: Request, context: PesaRequestContext, field: String, done: String,
        act: (InvoiceID, String, Actor) async throws -> Void
    ) async throws -> Response {
        let scope = try await operatorScope(request, context: context, action: .manageBilling)
        let id = try invoiceID(context)
        let fields = try await operatorForm(request, context: context, scope: scope)
        let text = fields[field]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        do {
            _ = try await onceIn(
                .system, route: "POST /ui/admin/billing/invoices/{id}/\(done)", key: Self.formKey(fields),
                hash: Self.valuesHash([id.rawValue, text]), scope: scope
            ) {
                try await act(id, text, scope.actor)
                return (id.rawValue, "")
            }
            return DashboardPages.redirect(to: "/ui/admin/billing?done=\(done)")
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            var form = InvoiceActionForm(invoiceID: id.rawValue)
            if field == "reference" { form.reference = text } else { form.reason = text }
            if apiError.param == "reference" {
                form.referenceError = apiError.message
            } else if apiError.param == "reason" {
                form.reasonError = apiError.message
            } else {
                form.pageError = apiError.message
            }
            return try await billingRunsPage(scope, invoiceForm: form, status: apiError.status)
        }
    }
}

/// The billing run form as typed, and the run's result: one row per organization.
struct BillingRunForm {
    var month = ""
    var finalize = false
    var error: String?
    var resultMonth: String?
    var result: [[String: Any]] = []
    var resultFinalized = false
    var resultTotal: Int64 = 0
    var replayed = false

    /// The run's result from its summary.
    mutating func show(month: String, summary: String, replayed: Bool) {
        resultMonth = month
        resultFinalized = summary.hasPrefix("finalized")
        self.replayed = replayed
        for line in summary.split(separator: "\n").dropFirst() {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let cents = parts.count > 3 ? Int64(parts[3]) : nil
            resultTotal += cents ?? 0
            result.append([
                "slug": parts.first ?? "", "action": parts.count > 1 ? parts[1] : "",
                "number": parts.count > 2 ? parts[2] : "",
                "total": cents.map { DashboardFormat.kes(minorUnits: $0) } ?? "",
            ])
        }
    }

    /// The run as kept with the form's key: a line per organization, `slug`, action, number and total in cents,
    /// tab-separated, after a first line saying whether the month was finalized.
    static func summary(_ run: BillingRun) -> String {
        ([run.finalized ? "finalized" : "drafts"]
            + run.organizations.map { entry in
                [
                    entry.slug, entry.action.rawValue, entry.invoice.map { $0.number ?? "draft" } ?? "",
                    entry.invoice.map { String($0.total.minorUnits) } ?? "",
                ].joined(separator: "\t")
            }).joined(separator: "\n")
    }

    var context: [String: Any] {
        [
            "run_month": month, "run_finalize": finalize, "run_error": DashboardPages.section(error),
            "run_key": DashboardSessions.randomToken(), "result_shown": resultMonth != nil,
            "result_month": resultMonth ?? "", "result_finalized": resultFinalized, "result": result,
            "result_empty": result.isEmpty, "result_total": DashboardFormat.kes(minorUnits: resultTotal),
            "replayed": replayed,
        ]
    }
}

/// The invoice list's filters as typed, and where its page starts (after the invoice of that id).
struct InvoiceFilterForm {
    var month = ""
    var status = ""
    var after = ""
}

/// An invoice's mark-paid or void form as typed, and what refused it.
struct InvoiceActionForm {
    let invoiceID: String
    var reference = ""
    var reason = ""
    var referenceError: String?
    var reasonError: String?
    var pageError: String?
}
