import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

/// A form that moves money (an STK push, a payout): what was typed, errors by field and for the whole form.
protocol DashboardMoneyForm {
    var values: [String: String] { get set }
    var errors: [String: String] { get set }
    var error: String? { get set }
    /// The organization a super admin acts for (`?org=`), nil for the organization's own users.
    var org: String? { get set }
    mutating func fail(param: String?, message: String)
    init()
}

/// A money form sent to a payment use case once per idempotency key (an STK push, a payout, a reversal).
protocol DashboardSentMoneyForm: DashboardMoneyForm {
    /// The form's idempotency key; empty: a new one is made when the form is shown.
    var idempotencyKey: String { get set }
}

extension DashboardMoneyForm {
    /// `message` next to the field `param` names when it is one of `fields`, else for the whole form.
    mutating func fail(param: String?, message: String, fields: [String]) {
        if let param, fields.contains(param) { errors[param] = message } else { error = message }
    }

    /// The form's text fields as typed, each with its label, input mode and error; all required but `optional`.
    func fieldRows(_ names: [String], labels: [String: String], optional: Set<String> = []) -> [[String: Any]] {
        names.map { name in
            [
                "name": name, "label": labels[name] ?? name, "value": values[name] ?? "",
                "mode": name == "phone" ? "tel" : name == "amount" ? "numeric" : "text",
                "required": !optional.contains(name), "error": DashboardPages.section(errors[name]),
            ]
        }
    }
}

extension DashboardController {
    /// A money form's page or post, before anything else: the session, the organization (`?org=` for a super
    /// admin) and `action`'s role on it; for a post (`names` the fields it reads), the CSRF token checked and
    /// what was typed, trimmed.
    func moneyForm<Form: DashboardMoneyForm>(
        _ request: Request, context: PesaRequestContext, action: Action, reading names: [String]? = nil
    ) async throws -> (page: DashboardPage, organization: OrganizationID, form: Form, fields: [String: String]) {
        let page = try await signedIn(request, context: context)
        var fields: [String: String] = [:]
        if names != nil {
            fields = try await DashboardForm.read(request, context: context, bytesMax: Self.formBytesMax)
            try requireCSRF(fields, page: page)
        }
        let organization = try context.targetOrganization(request)
        try context.require(action, in: organization)
        var form = Form()
        form.org = page.identity.principal.organizationID == nil ? organization.rawValue : nil
        for name in names ?? [] { form.values[name] = fields[name]?.trimmingCharacters(in: .whitespaces) }
        return (page, organization, form, fields)
    }

    /// A money form sent: the amount read as whole shillings, then `send` (with the form's idempotency key, so a
    /// second submit of the same form answers the first payment) and a 303 to the payment's page; an error
    /// shows the form `again`, what was typed kept, the message next to the field it names. `what` names the
    /// action in the message for a key reused with other values. With `confirm`, a post without `confirm=yes`
    /// sends nothing: it is checked, then answered by the page that asks to confirm (the form's key kept), and
    /// `confirm=edit` shows the form again as it was, its key kept.
    func submitMoneyForm<Form: DashboardSentMoneyForm>(
        _ form: Form, fields: [String: String], what: String,
        send: (_ amount: Int64, _ idempotencyKey: String?) async throws -> PaymentID,
        again: (Form, HTTPResponse.Status) async throws -> Response,
        confirm: ((_ amount: Int64, _ form: Form) async throws -> Response)? = nil
    ) async throws -> Response {
        var form = form
        let key = Self.formKey(fields)
        if confirm != nil, fields["confirm"] == "edit" {
            form.idempotencyKey = key ?? ""
            return try await again(form, .ok)
        }
        guard let amount = Self.wholeShillings(&form) else { return try await again(form, .unprocessableContent) }
        do {
            try Task.checkCancellation()
            if let confirm, fields["confirm"] != "yes" {
                var asked = form
                asked.idempotencyKey = key ?? DashboardSessions.randomToken()
                return try await confirm(amount, asked)
            }
            let id = try await send(amount, key)
            return DashboardPages.redirect(to: "/ui/payments/\(id.rawValue)" + (form.org.map { "?org=" + $0 } ?? ""))
        } catch let error as EngineError where error.code != .forbidden && error.code != .notFound {
            if error.code == .idempotencyKeyReused {
                form.error = "This form was already sent with other values. Check them and send the \(what) again."
            } else {
                form.fail(param: error.param, message: error.message)
            }
            return try await again(form, ErrorMapping.apiError(for: error).status)
        }
    }

    /// The form's amount as whole shillings; nil, with the error next to the field, when it is not one.
    static func wholeShillings<Form: DashboardMoneyForm>(_ form: inout Form) -> Int64? {
        let amountText = form.values["amount"] ?? ""
        guard let amount = Int64(amountText) else {
            form.errors["amount"] =
                amountText.isEmpty ? "Enter the amount in shillings." : "Enter a whole number of shillings, e.g. 100."
            return nil
        }
        return amount
    }
}
