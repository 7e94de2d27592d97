import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addCallbackTokenRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("settings/callback-token/rotate", use: confirmCallbackTokenRotation)
        group.post("settings/callback-token/rotate", use: rotateCallbackToken)
    }

    /// `GET /ui/settings/callback-token/rotate`: the confirmation step of
    /// `POST /v1/orgs/{id}/callback-token/rotate` (org_admin): what rotating changes (Safaricom must be given
    /// the new C2B URLs) and how long the old token stays accepted.
    @Sendable func confirmCallbackTokenRotation(_ request: Request, context: PesaRequestContext) async throws
        -> Response
    {
        let scope = try await settingsScope(request, context: context, action: .rotateCallbackToken)
        return try await rotationPage(scope, form: CallbackRotationForm())
    }

    /// `POST /ui/settings/callback-token/rotate`: `Gateway.rotateCallbackToken` with the form's hours and
    /// `force`, once per form (its idempotency key): the same form sent again rotates nothing more. Then the
    /// settings page shows the new URLs.
    @Sendable func rotateCallbackToken(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .rotateCallbackToken)
        let fields = try await settingsForm(request, context: context, scope: scope)
        var form = CallbackRotationForm(
            hours: fields["previous_valid_hours"]?.trimmingCharacters(in: .whitespaces) ?? "",
            force: fields["force"] == "true")
        do {
            guard let hours = Int64(form.hours) else {
                throw APIError.invalidField(
                    "previous_valid_hours",
                    "previous_valid_hours must be a whole number, 0 to \(Gateway.previousCallbackTokenHoursMax)")
            }
            _ = try await once(
                route: "POST /ui/settings/callback-token/rotate", key: Self.formKey(fields),
                hash: Self.valuesHash([form.hours, String(form.force)]), scope: scope
            ) {
                try await gateway.rotateCallbackToken(
                    in: scope.organization, previousValidHours: hours, force: form.force, by: scope.actor
                ).record.id.rawValue
            }
            return DashboardPages.redirect(to: scope.link("/ui/settings", done: "rotated"))
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            switch apiError.param {
            case "previous_valid_hours": form.hoursError = apiError.message
            case "force": form.forceError = apiError.message
            default: form.error = apiError.message
            }
            return try await rotationPage(scope, form: form, status: apiError.status)
        }
    }

    func rotationPage(_ scope: DashboardScope, form: CallbackRotationForm, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        try await settingsPage(
            scope, title: "Rotate the callback token", current: "/ui/settings",
            template: DashboardTemplates.rotateCallbackToken,
            values: [
                "previous_valid_hours": form.hours, "force": form.force,
                "hours_error": DashboardPages.section(form.hoursError),
                "force_error": DashboardPages.section(form.forceError), "error": DashboardPages.section(form.error),
                "hours_max": String(Gateway.previousCallbackTokenHoursMax),
                "idempotency_key": DashboardSessions.randomToken(),
            ], status: status)
    }
}

/// The rotation form as typed, and its errors.
struct CallbackRotationForm {
    var hours = ""
    var force = false
    var hoursError: String?
    var forceError: String?
    var error: String?
}
