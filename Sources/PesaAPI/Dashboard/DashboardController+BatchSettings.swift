import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addBatchSettingsRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("settings/batches", use: batchSettings)
        group.post("settings/batches", use: saveBatchSettings)
    }

    /// `GET /ui/settings/batches`: the rules of `GET /v1/payout-batch-settings` (manager and up): when a batch
    /// waits for an org_admin's approval, and whether one above the last known balance is refused; with the
    /// form of `PUT /v1/payout-batch-settings` for an org_admin.
    @Sendable func batchSettings(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .readPayoutBatch)
        let settings = BatchSettingsJSON(try await gateway.payoutBatchSettings(in: scope.organization, by: scope.actor))
        let values = [
            "approval": settings.approval, "approval_above": settings.approvalAbove.map(String.init) ?? "",
            "low_balance": settings.lowBalance,
        ]
        let notice = request.uri.queryParameters.get("done") == "saved" ? "The batch rules were saved." : nil
        return try await batchSettingsPage(scope, values: values, errors: [:], notice: notice)
    }

    /// `POST /ui/settings/batches`: `Gateway.savePayoutBatchSettings` with the form's values read as the API
    /// reads its body, once per form (its idempotency key): the same form sent again saves nothing more.
    @Sendable func saveBatchSettings(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .updatePayoutBatchSettings)
        let fields = try await settingsForm(request, context: context, scope: scope)
        let values = Self.typedValues(Self.batchSettingsFields, in: fields)
        let hash = Self.valuesHash(Self.batchSettingsFields.map { values[$0] ?? "" })
        do {
            let above = values["approval_above"] ?? ""
            guard above.isEmpty || Int64(above) != nil else {
                throw APIError.invalidField("approval_above", "approval_above must be a whole number of shillings")
            }
            let settings = try BatchSettingsJSON(
                approval: values["approval"] ?? "", approvalAbove: Int64(above), lowBalance: values["low_balance"] ?? ""
            ).settings()
            _ = try await once(
                route: "POST /ui/settings/batches", key: Self.formKey(fields), hash: hash, scope: scope
            ) {
                _ = try await gateway.savePayoutBatchSettings(settings, in: scope.organization, by: scope.actor)
                return scope.organization.rawValue
            }
            return DashboardPages.redirect(to: scope.link("/ui/settings/batches", done: "saved"))
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            let field = apiError.param.flatMap { Self.batchSettingsFields.contains($0) ? $0 : nil } ?? "approval"
            return try await batchSettingsPage(
                scope, values: values, errors: [field: apiError.message], status: apiError.status)
        }
    }

    /// The form's fields, named as the body of `PUT /v1/payout-batch-settings`.
    static let batchSettingsFields = ["approval", "approval_above", "low_balance"]

    func batchSettingsPage(
        _ scope: DashboardScope, values: [String: String], errors: [String: String], notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let labels = [
            "none": "Never: batches go out at once", "above": "When the total is above an amount",
            "all": "Always: every batch waits for an org_admin", "warn": "Create it with a warning",
            "refuse": "Refuse it, nothing created",
        ]
        let choices = { (name: String, options: [String]) in
            options.map {
                ["value": $0, "label": labels[$0] ?? $0, "selected": $0 == values[name]] as [String: Any]
            }
        }
        let principal = scope.page.identity.principal
        return try await settingsPage(
            scope, title: "Payout batch rules", current: "/ui/settings", template: DashboardTemplates.batchSettings,
            values: [
                "approvals": choices("approval", BatchSettings.Approval.allCases.map(\.rawValue)),
                "low_balances": choices("low_balance", BatchSettings.LowBalance.allCases.map(\.rawValue)),
                "approval_above": values["approval_above"] ?? "",
                "approval_error": DashboardPages.section(errors["approval"]),
                "approval_above_error": DashboardPages.section(errors["approval_above"]),
                "low_balance_error": DashboardPages.section(errors["low_balance"]),
                "notice": DashboardPages.section(notice), "idempotency_key": DashboardSessions.randomToken(),
                "can_write": principal.authorize(.updatePayoutBatchSettings, in: scope.organization) == .allowed,
            ], status: status)
    }
}
