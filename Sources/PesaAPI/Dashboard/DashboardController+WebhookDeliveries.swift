import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    static let deliveryPageCount = 20

    /// One endpoint's page: its form (as typed when it was refused), its actions, and its deliveries as
    /// `GET /v1/webhook-deliveries?endpoint=` lists them (newest event first, paged with `after`), each with its
    /// last attempt (status code, latency, error), its next attempt and a retry button; then the recovery form.
    func webhookPage(
        _ form: WebhookFormView, scope: DashboardScope, request: Request, notice: String? = nil,
        error: String? = nil, recovery: RecoveryForm = RecoveryForm(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let endpoint = form.endpoint else { throw APIError.notFound() }
        var pageError = error
        let after = request.uri.queryParameters.get("after").flatMap { $0.isEmpty ? nil : $0 }
        var found = try await deliveries(to: endpoint.id, after: after, scope: scope)
        if found == nil {
            pageError = "This page link names no delivery of this endpoint; the log starts from the newest."
            found = try await deliveries(to: endpoint.id, after: nil, scope: scope)
        }
        let page = found ?? ([], false)
        let id = endpoint.id.rawValue
        let rows: [[String: Any]] = page.items.map { view in
            let delivery = view.delivery
            let last = delivery.attempts.last
            return [
                "delivery_id": delivery.id.rawValue, "event": view.type.rawValue, "status": delivery.status.rawValue,
                "attempts": String(delivery.attempts.count),
                "code": last?.statusCode.map(String.init) ?? "—",
                "latency": last.map { "\($0.latencyMs) ms" } ?? "—", "failure": last?.error ?? "",
                "last": last.map { DashboardFormat.kenyaTime(ms: $0.atMs) } ?? "not yet",
                "next_try": delivery.nextAttemptAtMs.map { DashboardFormat.kenyaTime(ms: $0) } ?? "—",
                "retry": delivery.status != .pending && endpoint.enabled,
            ]
        }
        var values = form.context
        values["idempotency_key"] = DashboardSessions.randomToken()
        values["notice"] = DashboardPages.section(notice)
        values["page_error"] = DashboardPages.section(pageError)
        values["endpoint_id"] = id
        values["deliveries"] = rows
        values["deliveries_empty"] = rows.isEmpty
        values["next"] = DashboardPages.section(
            page.more ? page.items.last.map { "/ui/settings/webhooks/\(id)?after=\($0.delivery.id.rawValue)" } : nil)
        values["first"] = after != nil
        values["since"] = recovery.since
        values["until"] = recovery.until
        values["since_error"] = DashboardPages.section(recovery.sinceError)
        values["until_error"] = DashboardPages.section(recovery.untilError)
        return try await settingsPage(
            scope, title: "Webhook endpoint", current: "/ui/settings", template: DashboardTemplates.webhookEndpoint,
            values: values, status: status)
    }

    /// A page of the endpoint's deliveries after `after`; nil when `after` names none of them.
    func deliveries(to endpoint: WebhookEndpointID, after: String?, scope: DashboardScope) async throws
        -> (items: [WebhookDeliveryView], more: Bool)?
    {
        do {
            return try await gateway.webhookDeliveries(
                WebhookDeliveryFilter(endpoint: endpoint), after: after, limit: Self.deliveryPageCount,
                in: scope.organization, by: scope.actor)
        } catch where error.code == .invalidField {
            return nil
        }
    }

    /// `POST /ui/settings/webhooks/{id}/deliveries/{delivery}/retry`: `POST /v1/webhook-deliveries/{id}/retry`.
    @Sendable func retryWebhookDelivery(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .retryWebhookDelivery)
        let id = try webhookID(context)
        let endpoint = try await gateway.webhookEndpoint(id, in: scope.organization, by: scope.actor)
        _ = try await settingsForm(request, context: context, scope: scope)
        let delivery = context.parameters.get("delivery") ?? ""
        do {
            let retried = try await gateway.retryWebhookDelivery(delivery, in: scope.organization, by: scope.actor)
            guard retried.endpointID == endpoint.id else { throw APIError.notFound() }
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            return try await webhookPage(
                WebhookFormView(endpoint: endpoint), scope: scope, request: request, error: apiError.message,
                status: apiError.status)
        }
        return DashboardPages.redirect(to: scope.link("/ui/settings/webhooks/\(id)", done: "retried"))
    }

    /// `POST /ui/settings/webhooks/{id}/recover`: every failed delivery to the endpoint whose event came in the
    /// Kenya days `since` to `until` (both included; `until` empty: up to now) sent again.
    @Sendable func recoverWebhookDeliveries(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .recoverWebhookDeliveries)
        let id = try webhookID(context)
        let endpoint = try await gateway.webhookEndpoint(id, in: scope.organization, by: scope.actor)
        let fields = try await settingsForm(request, context: context, scope: scope)
        var recovery = RecoveryForm(
            since: fields["since"]?.trimmingCharacters(in: .whitespaces) ?? "",
            until: fields["until"]?.trimmingCharacters(in: .whitespaces) ?? "")
        let form = WebhookFormView(endpoint: endpoint)
        do {
            guard !recovery.since.isEmpty else { throw APIError.invalidField("since", "Enter the first day.") }
            let since = try PaymentListView.kenyaDateMs(recovery.since, param: "since", dayAfter: false)
            let until =
                try recovery.until.isEmpty
                ? nil : PaymentListView.kenyaDateMs(recovery.until, param: "until", dayAfter: true)
            let count = try await gateway.recoverWebhookDeliveries(
                endpoint: id, sinceMs: since, untilMs: until, in: scope.organization, by: scope.actor)
            let notice =
                count == 0
                ? "No failed delivery in those days."
                : "\(count) failed deliver\(count == 1 ? "y was" : "ies were") "
                    + "queued again."
            return try await webhookPage(form, scope: scope, request: request, notice: notice, recovery: recovery)
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            if apiError.param == "until" {
                recovery.untilError = apiError.message
            } else if apiError.param == "since" {
                recovery.sinceError = apiError.message
            }
            let message = recovery.sinceError == nil && recovery.untilError == nil ? apiError.message : nil
            return try await webhookPage(
                form, scope: scope, request: request, error: message, recovery: recovery, status: apiError.status)
        }
    }
}

/// The recovery form's days as typed and their errors.
struct RecoveryForm {
    var since = ""
    var until = ""
    var sinceError: String?
    var untilError: String?
}
