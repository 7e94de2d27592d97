import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    /// `GET /ui/payments/new`: the STK push form (the role of `POST /v1/payments/stk-push`), marked SANDBOX or
    /// PRODUCTION by the short code it would use, with a new idempotency key in a hidden field.
    @Sendable func newPayment(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let (page, organization, form, _): (_, _, STKPushFormView, _) = try await moneyForm(
            request, context: context, action: .createSTKPush)
        return try await stkPushForm(form, page: page, organization: organization)
    }

    /// `POST /ui/payments/new`: the push through the same use case as the API, the form's idempotency key
    /// making a second submit of the same form answer the first payment. Success: 303 to the payment's page;
    /// an error: the form again, what was typed kept, the message next to the field it names.
    @Sendable func createPayment(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let (page, organization, form, fields): (_, _, STKPushFormView, _) = try await moneyForm(
            request, context: context, action: .createSTKPush, reading: STKPushFormView.fieldNames + ["short_code"])
        let values = form.values
        return try await submitMoneyForm(form, fields: fields, what: "push") { amount, key in
            let parameters = STKPushParameters(
                phone: values["phone"] ?? "", amount: amount, accountReference: values["account_reference"] ?? "",
                description: values["description"] ?? "",
                shortCode: values["short_code"].flatMap { $0.isEmpty ? nil : $0 })
            return try await gateway.stkPush(
                parameters, in: organization,
                idempotency: key.map { IdempotencyInput(key: $0, requestHash: Self.formHash(parameters)) },
                by: page.identity.actor(requestID: context.requestID)
            ).payment.id
        } again: { form, status in
            try await stkPushForm(form, page: page, organization: organization, status: status)
        }
    }

    /// The form with the organization's short codes that can push (the default first) and a new idempotency
    /// key: a form shown again after an error is a new request.
    func stkPushForm(
        _ form: STKPushFormView, page: DashboardPage, organization: OrganizationID,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var form = form
        let engine = try await gateway.engine(organization)
        form.shortCodes = try await engine.read { state in
            let defaultID = state.defaultShortCode(for: .stkPush)?.id
            return state.activeShortCodes.filter { $0.kind.collects && $0.hasPasskey }
                .sorted { ($0.id == defaultID ? 0 : 1) < ($1.id == defaultID ? 0 : 1) }
                .map { record in
                    STKPushFormView.ShortCode(
                        number: record.shortCode,
                        label: "\(record.shortCode) · \(record.label) · \(record.environment.uppercased())",
                        environment: record.environment)
                }
        }
        form.csrfToken = page.session.csrfToken
        form.idempotencyKey = DashboardSessions.randomToken()
        return DashboardPages.page(
            title: "Send an STK push",
            layout: DashboardLayout(
                organizationName: engine.accessView.organization?.name, page: page, currentPath: "/ui/payments"),
            template: DashboardTemplates.stkPushForm, context: form.context, status: status)
    }

    /// What identifies the form's request for idempotency: the hex SHA-256 of its values in a fixed order.
    static func formHash(_ parameters: STKPushParameters) -> String {
        let text = [
            parameters.phone, String(parameters.amount), parameters.accountReference, parameters.description,
            parameters.shortCode ?? "",
        ].map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return Hex.encodeString(SHA256.hash(data: Data(text.utf8)))
    }
}
