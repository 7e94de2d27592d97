import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    /// The payout and batch pages: the payouts, the B2C form, the batches with their upload, preview, review and
    /// results.
    func addPayoutRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("payouts", use: payouts)
        group.get("payouts/new", use: newPayout)
        group.post("payouts/new", use: createPayout)
        group.get("batches", use: batches)
        group.get("batches/new", use: newBatch)
        group.post("batches/new", use: uploadBatch)
        group.get("batches/:id", use: batch)
        group.get("batches/:id/results.csv", use: batchResultsCSV)
        group.post("batches/:id/approve", use: approveBatch)
        group.post("batches/:id/reject", use: rejectBatch)
        group.post("batches/:id/retry-failed", use: retryBatch)
        group.post("batches/:id/cancel", use: cancelBatch)
    }

    /// `GET /ui/payouts/new`: the B2C payout form (the role of `POST /v1/payouts`), marked SANDBOX or PRODUCTION
    /// by the short code it would pay from, with a new idempotency key in a hidden field.
    @Sendable func newPayout(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let (page, organization, form, _): (_, _, PayoutFormView, _) = try await moneyForm(
            request, context: context, action: .createPayout)
        return try await payoutForm(form, page: page, organization: organization)
    }

    /// `POST /ui/payouts/new`: first the page that asks to confirm the payout (checked by the same use case as
    /// the API, nothing sent), its Edit the form again as typed; its Confirm (`confirm=yes`) the payout through
    /// that use case, the form's idempotency key making a second submit of the same form answer the first
    /// payout. Success: 303 to the payment's page; an error: the form again, what was typed kept, the message
    /// next to the field it names.
    @Sendable func createPayout(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let names = PayoutFormView.fieldNames + ["command", "short_code"]
        let (page, organization, form, fields): (_, _, PayoutFormView, _) = try await moneyForm(
            request, context: context, action: .createPayout, reading: names)
        let values = form.values
        let parameters = { (amount: Int64) in
            PayoutParameters(
                phone: values["phone"] ?? "", amount: amount, command: values["command"] ?? "",
                remarks: values["remarks"] ?? "", occasion: values["occasion"].flatMap { $0.isEmpty ? nil : $0 },
                shortCode: values["short_code"].flatMap { $0.isEmpty ? nil : $0 })
        }
        let actor = page.identity.actor(requestID: context.requestID)
        return try await submitMoneyForm(form, fields: fields, what: "payout") { amount, key in
            let parameters = parameters(amount)
            return try await gateway.payout(
                parameters, in: organization,
                idempotency: key.map { IdempotencyInput(key: $0, requestHash: Self.formHash(parameters)) }, by: actor
            ).payment.id
        } again: { form, status in
            try await payoutForm(form, page: page, organization: organization, status: status)
        } confirm: { amount, form in
            let preview = try await gateway.previewPayout(parameters(amount), in: organization, by: actor)
            let command = B2CCommand(rawValue: values["command"] ?? "")?.darajaCommandID ?? ""
            return try await moneyConfirmation(
                MoneyConfirmationView(
                    form, names: names, title: "Confirm the payout", action: "/ui/payouts/new", preview: preview,
                    question: "Send \(DashboardFormat.kes(preview.amount)) to \(preview.phone) from short code "
                        + "\(preview.shortCode) (\(preview.environment))?",
                    details: [
                        ("Command", command), ("Remarks", values["remarks"] ?? ""),
                        ("Occasion", values["occasion"] ?? ""),
                    ]),
                page: page, organization: organization, current: "/ui/payouts")
        }
    }

    /// The form with the organization's short codes that can pay out (the default first) and a new idempotency
    /// key unless it has one (the form edited from its confirmation): a form shown again after an error is a new
    /// request.
    func payoutForm(
        _ form: PayoutFormView, page: DashboardPage, organization: OrganizationID, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var form = form
        let engine = try await gateway.engine(organization)
        form.shortCodes = try await Self.payoutShortCodes(engine)
        form.csrfToken = page.session.csrfToken
        if form.idempotencyKey.isEmpty { form.idempotencyKey = DashboardSessions.randomToken() }
        return DashboardPages.page(
            title: "Send a payout",
            layout: DashboardLayout(
                organizationName: engine.accessView.organization?.name, page: page, currentPath: "/ui/payouts"),
            template: DashboardTemplates.payoutForm, context: form.context, status: status)
    }

    /// The organization's short codes that can pay out (an initiator), the default one first.
    static func payoutShortCodes(_ engine: TenantEngine) async throws -> [STKPushFormView.ShortCode] {
        try await engine.read { state in
            let defaultID = state.defaultShortCode(for: .b2c)?.id
            return state.activeShortCodes.filter(\.hasInitiator)
                .sorted { ($0.id == defaultID ? 0 : 1) < ($1.id == defaultID ? 0 : 1) }
                .map { record in
                    STKPushFormView.ShortCode(
                        number: record.shortCode,
                        label: "\(record.shortCode) · \(record.label) · \(record.environment.uppercased())",
                        environment: record.environment)
                }
        }
    }

    /// What identifies the payout form's request for idempotency: the hex SHA-256 of its values in a fixed order.
    static func formHash(_ parameters: PayoutParameters) -> String {
        let text = [
            "b2c", parameters.phone, String(parameters.amount), parameters.command, parameters.remarks,
            parameters.occasion ?? "", parameters.shortCode ?? "",
        ].map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return Hex.encodeString(SHA256.hash(data: Data(text.utf8)))
    }
}

/// The payout form's values as typed, their errors, and the short codes it may pay from.
struct PayoutFormView: DashboardSentMoneyForm {
    static let fieldNames = ["phone", "amount", "remarks", "occasion"]
    static let labels = [
        "phone": "Phone", "amount": "Amount (KES, whole shillings)", "remarks": "Remarks",
        "occasion": "Occasion (optional)",
    ]

    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    var error: String?
    var shortCodes: [STKPushFormView.ShortCode] = []
    var idempotencyKey = ""
    var csrfToken = ""
    var org: String?

    /// The environment of the short code the payout would go through: the one chosen, else the default one.
    var environment: String? {
        let chosen = values["short_code"].flatMap { name in shortCodes.first { $0.number == name } }
        return (chosen ?? shortCodes.first)?.environment
    }

    mutating func fail(param: String?, message: String) {
        fail(param: param, message: message, fields: Self.fieldNames + ["short_code", "command"])
    }

    var context: [String: Any] {
        let environment = self.environment
        let selected = values["short_code"] ?? shortCodes.first?.number
        let command = values["command"] ?? B2CCommand.businessPayment.rawValue
        return [
            "csrf_token": csrfToken, "idempotency_key": idempotencyKey, "org": DashboardPages.section(org),
            "error": DashboardPages.section(error),
            "environment": DashboardPages.section(environment),
            "environment_label": environment == "production"
                ? "PRODUCTION: this payout sends real money to a real customer." : "SANDBOX: test money only.",
            "no_short_code": shortCodes.isEmpty,
            "short_codes_shown": shortCodes.count > 1,
            "short_codes": shortCodes.map {
                ["value": $0.number, "label": $0.label, "selected": $0.number == selected] as [String: Any]
            },
            "short_code_error": DashboardPages.section(errors["short_code"]),
            "commands": B2CCommand.allCases.map {
                ["value": $0.rawValue, "label": $0.darajaCommandID, "selected": $0.rawValue == command] as [String: Any]
            },
            "command_error": DashboardPages.section(errors["command"]),
            "fields": fieldRows(Self.fieldNames, labels: Self.labels, optional: ["occasion"]),
        ]
    }
}
