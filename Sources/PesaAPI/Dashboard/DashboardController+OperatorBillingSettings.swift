import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addOperatorBillingSettingsRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("admin/billing/settings", use: operatorBillingSettings)
        group.post("admin/billing/settings", use: saveOperatorBillingSettings)
    }

    /// `GET /ui/admin/billing/settings`: the instance's billing settings as `GET /v1/admin/billing/settings`
    /// reads them, in the form of `PATCH /v1/admin/billing/settings` (every setting, named as the API's fields).
    @Sendable func operatorBillingSettings(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await operatorScope(request, context: context, action: .manageBilling)
        let settings = try await gateway.billingSettings(by: scope.actor)
        let notice = request.uri.queryParameters.get("done") == "saved" ? "The billing settings were saved." : nil
        return billingSettingsPage(scope, form: BillingSettingsForm(settings), notice: notice)
    }

    /// `POST /ui/admin/billing/settings`: `Gateway.updateBillingSettings`, the use case of
    /// `PATCH /v1/admin/billing/settings` (checked and audited there, `billing.settings.update` in the instance's
    /// log), every setting sent; a blank operator organization or short code is cleared, as the API's `null`.
    /// Once per form: the same form sent again saves nothing more.
    @Sendable func saveOperatorBillingSettings(_ request: Request, context: PesaRequestContext) async throws
        -> Response
    {
        let scope = try await operatorScope(request, context: context, action: .manageBilling)
        let fields = try await operatorForm(request, context: context, scope: scope)
        var form = BillingSettingsForm(fields: fields)
        guard let changes = form.changes() else {
            return billingSettingsPage(scope, form: form, status: .unprocessableContent)
        }
        do {
            _ = try await onceIn(
                .system, route: "POST /ui/admin/billing/settings", key: Self.formKey(fields),
                hash: Self.valuesHash(BillingSettingsForm.fieldNames.map { form.values[$0] ?? "" }), scope: scope
            ) {
                _ = try await gateway.updateBillingSettings(changes, by: scope.actor)
                return ("billing", "")
            }
            return DashboardPages.redirect(to: "/ui/admin/billing/settings?done=saved")
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            form.fail(apiError)
            return billingSettingsPage(scope, form: form, status: apiError.status)
        }
    }

    func billingSettingsPage(
        _ scope: OperatorScope, form: BillingSettingsForm, notice: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = form.context
        values["notice"] = DashboardPages.section(notice)
        return operatorPage(
            scope, title: "Billing settings", current: "/ui/admin/billing",
            template: DashboardTemplates.operatorBillingSettings, values: values, status: status)
    }
}

/// The billing settings form as typed, each field named as the API's JSON field, and what refused it.
struct BillingSettingsForm: DashboardFieldForm {
    /// The whole numbers, with their labels.
    static let numbers = [
        ("due_days", "Days from finalizing an invoice until it is due (due_days)"),
        ("grace_days", "Days past the due date before an unpaid subscription is suspended (grace_days)"),
        ("draft_days", "Days after a month ends while its invoices stay drafts (draft_days)"),
        ("vat_basis_points", "VAT in basis points, 1600 = 16 % (vat_basis_points)"),
    ]
    /// The one-line texts, with their labels.
    static let texts = [
        ("invoice_prefix", "Invoice number prefix: capital letters and digits (invoice_prefix)"),
        ("operator_name", "Operator's name, printed on every invoice (operator_name)"),
        ("operator_kra_pin", "Operator's KRA PIN, printed on every invoice (operator_kra_pin)"),
        (
            "operator_organization_id",
            "Organization whose short code collects invoice payments, its id; blank: paid by hand "
                + "(operator_organization_id)"
        ),
        (
            "operator_short_code",
            "Its short code for those payments, number or sc_ id; blank: its default (operator_short_code)"
        ),
    ]
    static let fieldNames = numbers.map(\.0) + texts.map(\.0) + ["operator_address", "vat_inclusive"]

    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    var error: String?

    /// The settings saved, as the form shows them.
    init(_ settings: BillingSettings) {
        values = [
            "due_days": String(settings.dueDays), "grace_days": String(settings.graceDays),
            "draft_days": String(settings.draftDays), "vat_basis_points": String(settings.vatBasisPoints),
            "vat_inclusive": settings.vatInclusive ? "true" : "", "invoice_prefix": settings.invoicePrefix,
            "operator_name": settings.operatorName, "operator_address": settings.operatorAddress,
            "operator_kra_pin": settings.operatorTaxPIN,
            "operator_organization_id": settings.operatorOrganizationID?.rawValue ?? "",
            "operator_short_code": settings.operatorShortCode ?? "",
        ]
    }

    /// The fields as sent, trimmed; the checkbox `vat_inclusive` is `true` when sent.
    init(fields: [String: String]) {
        for name in Self.fieldNames {
            values[name] = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        }
        values["vat_inclusive"] = fields["vat_inclusive"] == nil ? "" : "true"
    }

    /// The API's changes of every setting; nil (each message next to its field) when a number is not one.
    mutating func changes() -> BillingSettingsChanges? {
        var numbers: [String: Int64] = [:]
        for (name, _) in Self.numbers {
            guard let number = Int64(values[name] ?? "") else {
                errors[name] = "Enter a whole number."
                continue
            }
            numbers[name] = number
        }
        guard errors.isEmpty else { return nil }
        var changes = BillingSettingsChanges()
        changes.dueDays = numbers["due_days"]
        changes.graceDays = numbers["grace_days"]
        changes.draftDays = numbers["draft_days"]
        changes.vatBasisPoints = numbers["vat_basis_points"]
        changes.vatInclusive = values["vat_inclusive"] == "true"
        changes.invoicePrefix = values["invoice_prefix"]
        changes.operatorName = values["operator_name"]
        changes.operatorAddress = values["operator_address"]
        changes.operatorTaxPIN = values["operator_kra_pin"]
        let organization = values["operator_organization_id"] ?? ""
        if organization.isEmpty {
            changes.clearOperatorOrganization = true
        } else {
            do {
                changes.operatorOrganizationID = try OrganizationID(
                    parsing: organization, field: "operator_organization_id")
            } catch {
                errors["operator_organization_id"] = "Enter an organization's id (org_…), or leave it blank."
                return nil
            }
        }
        let shortCode = values["operator_short_code"] ?? ""
        if shortCode.isEmpty { changes.clearOperatorShortCode = true } else { changes.operatorShortCode = shortCode }
        return changes
    }

    var context: [String: Any] {
        let field = { (name: String, label: String) -> [String: Any] in
            [
                "name": name, "label": label, "value": values[name] ?? "",
                "error": DashboardPages.section(errors[name]),
            ]
        }
        return [
            "numbers": Self.numbers.map(field), "texts": Self.texts.map(field),
            "address": field("operator_address", "Operator's address, printed on every invoice (operator_address)"),
            "vat_inclusive": values["vat_inclusive"] == "true", "error": DashboardPages.section(error),
            "idempotency_key": DashboardSessions.randomToken(),
        ]
    }
}
