import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addC2BValidationRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("settings/c2b-validation", use: c2bValidation)
        group.post("settings/c2b-validation", use: saveC2BValidation)
    }

    /// `GET /ui/settings/c2b-validation` (org_admin, as `GET /v1/c2b/validation`): how M-Pesa's C2B validation
    /// requests are answered: every payment accepted, or only those whose account reference is listed.
    @Sendable func c2bValidation(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .registerC2BURLs)
        let record = try await gateway.c2bValidation(in: scope.organization, by: scope.actor)
        let values = [
            "reject_unknown_account_references": record.rejectUnknown ? "true" : "false",
            "account_references": record.accountReferences.sorted().joined(separator: "\n"),
        ]
        let saved = request.uri.queryParameters.get("done") == "saved"
        return try await c2bValidationPage(
            scope, values: values, error: nil, notice: saved ? "The C2B validation rule was saved." : nil,
            updatedAtMs: record.updatedAtMs)
    }

    /// `POST /ui/settings/c2b-validation`: `Gateway.setC2BValidation`, the use case of `PUT /v1/c2b/validation`,
    /// with the account references one a line (blank lines left out), once per form (its idempotency key).
    @Sendable func saveC2BValidation(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .registerC2BURLs)
        let fields = try await DashboardForm.read(request, context: context, bytesMax: Self.c2bValidationFormBytesMax)
        try requireCSRF(fields, page: scope.page)
        let values = Self.typedValues(Self.c2bValidationFields, in: fields)
        let rejectUnknown = values["reject_unknown_account_references"] == "true"
        let references = (values["account_references"] ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let hash = Self.valuesHash([rejectUnknown ? "true" : "false"] + references)
        do {
            _ = try await once(
                route: "POST /ui/settings/c2b-validation", key: Self.formKey(fields), hash: hash, scope: scope
            ) {
                _ = try await gateway.setC2BValidation(
                    rejectUnknown: rejectUnknown, accountReferences: references, in: scope.organization,
                    by: scope.actor)
                return scope.organization.rawValue
            }
            return DashboardPages.redirect(to: scope.link("/ui/settings/c2b-validation", done: "saved"))
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            return try await c2bValidationPage(scope, values: values, error: apiError.message, status: apiError.status)
        }
    }

    /// The longest list the use case takes fits when its references are ASCII (as account numbers are), even with
    /// every character percent-encoded; a list of long references in other scripts may need the API's JSON body,
    /// which takes four bytes a character.
    static let c2bValidationFormBytesMax = Limits.c2bAccountReferencesCountMax * 320 + formBytesMax

    /// The form's fields, named as the body of `PUT /v1/c2b/validation`.
    static let c2bValidationFields = ["reject_unknown_account_references", "account_references"]

    func c2bValidationPage(
        _ scope: DashboardScope, values: [String: String], error: String?, notice: String? = nil,
        updatedAtMs: Int64 = 0, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let reject = values["reject_unknown_account_references"] == "true"
        return try await settingsPage(
            scope, title: "C2B validation", current: "/ui/settings", template: DashboardTemplates.c2bValidation,
            values: [
                "choices": [
                    ["value": "false", "label": "Accept every payment", "selected": !reject],
                    ["value": "true", "label": "Accept only the account references listed below", "selected": reject],
                ],
                "account_references": values["account_references"] ?? "",
                "references_max": String(Limits.c2bAccountReferencesCountMax),
                "error": DashboardPages.section(error), "notice": DashboardPages.section(notice),
                "updated": DashboardPages.section(
                    updatedAtMs == 0 ? nil : DashboardFormat.kenyaTime(ms: updatedAtMs) + " EAT"),
                "idempotency_key": DashboardSessions.randomToken(),
            ], status: status)
    }
}
