import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    /// What a payment's page does with the payment, besides showing it: its reversal and its status query.
    func addPaymentActionRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.post("payments/:id/reverse", use: reversePayment)
        group.get("payments/status", use: statusForm)
        group.post("payments/status", use: askStatus)
        group.get("payments/status/:id", use: statusQuery)
    }

    /// `POST /ui/payments/{id}/reverse`: first the page that asks to confirm the reversal (checked by the same
    /// use case as `POST /v1/reversals`, org_admin, nothing sent), its Edit the payment's page with the form as
    /// typed; its Confirm (`confirm=yes`) the reversal through that use case, the form's idempotency key making a
    /// second submit of the same form answer the first reversal. Success: 303 to the reversal's page; an error:
    /// the payment's page again with the form as typed, the message next to the field it names.
    @Sendable func reversePayment(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let id = try context.parameters.requireID("id", as: PaymentID.self)
        let (page, organization, form, fields): (_, _, ReversalFormView, _) = try await moneyForm(
            request, context: context, action: .createReversal, reading: ReversalFormView.fieldNames)
        let remarks = form.values["remarks"] ?? ""
        let parameters = { (amount: Int64) in
            ReversalParameters(mpesaReceipt: nil, amount: amount, remarks: remarks, paymentID: id.rawValue)
        }
        let actor = page.identity.actor(requestID: context.requestID)
        return try await submitMoneyForm(form, fields: fields, what: "reversal") { amount, key in
            let hash = Self.valuesHash(["reversal", id.rawValue, String(amount), remarks])
            return try await gateway.reversal(
                parameters(amount), in: organization,
                idempotency: key.map { IdempotencyInput(key: $0, requestHash: hash) }, by: actor
            ).payment.id
        } again: { form, status in
            try await paymentPage(
                id, page: page, organization: organization, reversal: form, context: context, status: status)
        } confirm: { amount, form in
            let preview = try await gateway.previewReversal(parameters(amount), in: organization, by: actor)
            let receipt = preview.receipt ?? ""
            return try await moneyConfirmation(
                MoneyConfirmationView(
                    form, names: ReversalFormView.fieldNames, title: "Confirm the reversal",
                    action: "/ui/payments/\(id.rawValue)/reverse", preview: preview,
                    question: "Reverse \(DashboardFormat.kes(preview.amount)) of payment \(id.rawValue) (receipt "
                        + "\(receipt)) back to \(preview.phone)?",
                    details: [
                        ("Payment", id.rawValue), ("M-Pesa receipt", receipt),
                        ("Payment amount", preview.original.map { DashboardFormat.kes($0.amount) } ?? ""),
                        ("Short code", preview.shortCode), ("Remarks", remarks),
                    ]),
                page: page, organization: organization, current: "/ui/payments")
        }
    }

    /// `GET /ui/payments/status`: the form asking M-Pesa for a transaction's status by its receipt (the role of
    /// `POST /v1/transaction-status`).
    @Sendable func statusForm(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .createTransactionStatusQuery)
        return try await statusFormPage(scope, receipt: "", error: nil)
    }

    /// `POST /ui/payments/status`: a transaction-status query through the same use case as
    /// `POST /v1/transaction-status`, by `mpesa_receipt` (the form) or `payment_id` (a payment's button), sent once
    /// per form (its idempotency key). Success: 303 to the query's page; a refusal: the form with the message.
    @Sendable func askStatus(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .createTransactionStatusQuery)
        let fields = try await settingsForm(request, context: context, scope: scope)
        let typed = { (name: String) in
            fields[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let receipt = typed("mpesa_receipt")
        let paymentID = typed("payment_id")
        do {
            let hash = Self.valuesHash(["status", receipt ?? "", paymentID ?? ""])
            let (id, _) = try await once(
                route: "POST /ui/payments/status", key: Self.formKey(fields), hash: hash, scope: scope
            ) {
                try await gateway.transactionStatus(
                    TransactionStatusParameters(mpesaReceipt: receipt, paymentID: paymentID),
                    in: scope.organization, by: scope.actor
                ).id.rawValue
            }
            return DashboardPages.redirect(to: scope.link("/ui/payments/status/" + id))
        } catch {
            guard let shown = Self.formError(error) else { throw error }
            return try await statusFormPage(
                scope, receipt: receipt ?? "", error: (shown.param, shown.message), status: shown.status)
        }
    }

    func statusFormPage(
        _ scope: DashboardScope, receipt: String, error: (param: String?, message: String)?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let field = error.flatMap { $0.param == "mpesa_receipt" ? $0.message : nil }
        return try await settingsPage(
            scope, title: "Ask M-Pesa for a transaction's status", current: "/ui/payments",
            template: DashboardTemplates.statusForm,
            values: [
                "idempotency_key": DashboardSessions.randomToken(), "mpesa_receipt": receipt,
                "receipt_error": DashboardPages.section(field),
                "error": DashboardPages.section(field == nil ? error?.message : nil),
            ], status: status)
    }

    /// `GET /ui/payments/status/{id}`: a transaction-status query and, once Daraja answered, its result (the
    /// role of `GET /v1/transaction-status/{id}`); a pending query's page refreshes itself.
    @Sendable func statusQuery(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await queryPage(request, context: context, kind: .transactionStatus)
    }
}

/// The reversal form of a payment's page: what was typed, errors by field, and the most it may reverse.
struct ReversalFormView: DashboardSentMoneyForm {
    static let fieldNames = ["amount", "remarks"]

    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    var error: String?
    var org: String?
    /// The most a reversal may take now; nil when the payment cannot be reversed.
    var most: Amount?
    var csrfToken = ""
    var idempotencyKey = ""

    /// Shown when the payment can be reversed, or to say why the reversal sent was refused.
    var shown: Bool { most != nil || error != nil || !errors.isEmpty }

    mutating func fail(param: String?, message: String) {
        fail(param: param, message: message, fields: Self.fieldNames)
    }

    var context: [String: Any] {
        [
            "csrf_token": csrfToken, "idempotency_key": idempotencyKey, "org": DashboardPages.section(org),
            "error": DashboardPages.section(error), "form_shown": most != nil || !errors.isEmpty,
            "most": most.map { DashboardFormat.kes($0) } ?? "",
            "amount": values["amount"] ?? most?.wholeShillings.map { String($0) } ?? "",
            "amount_error": DashboardPages.section(errors["amount"]), "remarks": values["remarks"] ?? "",
            "remarks_error": DashboardPages.section(errors["remarks"]),
        ]
    }
}
