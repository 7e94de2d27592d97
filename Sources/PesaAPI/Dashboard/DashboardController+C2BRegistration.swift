import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addC2BRegistrationRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.post("settings/credentials/:id/register-urls", use: registerC2BURLs)
    }

    /// `POST /ui/settings/credentials/{id}/register-urls`: `POST /v1/c2b/register-urls` for this paybill or till
    /// (org_admin): `Gateway.registerC2BURLs` with the form's `response_type`, once per form (its idempotency
    /// key). The short code's page then shows Daraja's answer and the URLs registered, or Daraja's error.
    @Sendable func registerC2BURLs(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .registerC2BURLs)
        let id = try shortCodeID(context)
        let record = try await gateway.shortCode(id, in: scope.organization, by: scope.actor)
        guard !record.isDeleted else { throw APIError.notFound() }
        let fields = try await settingsForm(request, context: context, scope: scope)
        let responseType = fields["response_type"]?.trimmingCharacters(in: .whitespaces) ?? ""
        var values: [String: Any] = ["response_type": responseType]
        var status = HTTPResponse.Status.ok
        do {
            var registration: C2BRegistration?
            let (_, replayed) = try await once(
                route: "POST /ui/settings/credentials/{id}/register-urls", key: Self.formKey(fields),
                hash: Self.valuesHash([id.rawValue, responseType]), scope: scope
            ) {
                let made = try await gateway.registerC2BURLs(
                    responseType: responseType, shortCode: id.rawValue, in: scope.organization, by: scope.actor)
                registration = made
                return id.rawValue
            }
            if let registration {
                values["registered"] = [
                    "description": registration.responseDescription, "type": registration.responseType,
                    "confirmation": registration.confirmationURL, "validation": registration.validationURL,
                ]
            } else if replayed {
                values["register_notice"] = "This form was already sent: the URLs were registered then."
            }
        } catch {
            let apiError = ErrorMapping.apiError(for: error)
            guard let shown = Self.formError(error) ?? (apiError.status == .badGateway ? apiError : nil) else {
                throw error
            }
            values[shown.param == "response_type" ? "response_type_error" : "register_error"] = shown.message
            status = shown.status
        }
        return try await shortCodeForm(Self.editForm(record), scope: scope, registration: values, status: status)
    }

    /// The registration form's values on a short code's page: the choices of `response_type` (Completed first,
    /// as the use case's default), what was chosen, and the last answer or error.
    static func registrationValues(_ values: [String: Any]) -> [String: Any] {
        let chosen = (values["response_type"] as? String).flatMap { $0.isEmpty ? nil : $0.lowercased() } ?? "completed"
        let labels = [
            "completed": "Completed: Safaricom completes the payment", "cancelled": "Cancelled: Safaricom cancels it",
        ]
        var context = values
        context["response_types"] = ["completed", "cancelled"].map {
            ["value": $0, "label": labels[$0] ?? $0, "selected": $0 == chosen] as [String: Any]
        }
        context["register_key"] = DashboardSessions.randomToken()
        for name in ["registered", "register_notice", "register_error", "response_type_error"]
        where context[name] == nil {
            context[name] = false
        }
        return context
    }
}
