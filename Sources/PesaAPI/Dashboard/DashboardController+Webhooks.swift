import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addWebhookRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("settings/webhooks", use: webhookEndpoints)
        group.get("settings/webhooks/new", use: newWebhookEndpoint)
        group.post("settings/webhooks/new", use: createWebhookEndpoint)
        group.get("settings/webhooks/:id", use: webhookEndpoint)
        group.post("settings/webhooks/:id", use: updateWebhookEndpoint)
        group.post("settings/webhooks/:id/rotate", use: rotateWebhookSecret)
        group.post("settings/webhooks/:id/test", use: testWebhookEndpoint)
        group.post("settings/webhooks/:id/delete", use: deleteWebhookEndpoint)
        group.post("settings/webhooks/:id/recover", use: recoverWebhookDeliveries)
        group.post("settings/webhooks/:id/deliveries/:delivery/retry", use: retryWebhookDelivery)
    }

    /// `GET /ui/settings/webhooks`: the organization's endpoints as `GET /v1/webhook-endpoints` lists them
    /// (org_admin), the secret's hint only.
    @Sendable func webhookEndpoints(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .listWebhookEndpoints)
        let endpoints = try await gateway.webhookEndpoints(in: scope.organization, by: scope.actor)
        let rows: [[String: Any]] = endpoints.map { endpoint in
            [
                "id": endpoint.id.rawValue, "url": endpoint.url, "description": endpoint.description ?? "",
                "events": endpoint.events.isEmpty ? "all events" : endpoint.events.joined(separator: ", "),
                "state": endpoint.enabled ? "enabled" : "disabled" + (endpoint.disabledReason.map { ": " + $0 } ?? ""),
                "hint": endpoint.secretHint,
            ]
        }
        let notice = request.uri.queryParameters.get("done") == "deleted" ? "The endpoint was deleted." : nil
        return try await settingsPage(
            scope, title: "Webhooks", current: "/ui/settings", template: DashboardTemplates.webhookList,
            values: ["rows": rows, "empty": rows.isEmpty, "notice": DashboardPages.section(notice)])
    }

    /// `GET /ui/settings/webhooks/new`: the form of `POST /v1/webhook-endpoints`.
    @Sendable func newWebhookEndpoint(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .createWebhookEndpoint)
        var form = WebhookFormView(endpoint: nil)
        form.enabled = true
        return try await webhookForm(form, scope: scope)
    }

    /// `POST /ui/settings/webhooks/new`: `Gateway.createWebhookEndpoint`, once per form (its idempotency key
    /// journaled with the endpoint made). The answer shows the signing secret this once; the same form sent
    /// again makes no second endpoint and shows no secret.
    @Sendable func createWebhookEndpoint(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .createWebhookEndpoint)
        let fields = try await settingsForm(request, context: context, scope: scope)
        var form = WebhookFormView(endpoint: nil)
        form.read(fields)
        var secret: String?
        do {
            let made = try await once(
                route: "POST /ui/settings/webhooks/new", key: Self.formKey(fields), hash: form.hash, scope: scope
            ) {
                let made = try await gateway.createWebhookEndpoint(form.input, in: scope.organization, by: scope.actor)
                secret = made.secret
                return made.endpoint.id.rawValue
            }
            guard let secret, !made.replayed else {
                return DashboardPages.redirect(to: scope.link("/ui/settings/webhooks/\(made.id)", done: "again"))
            }
            return try await secretPage(
                scope, heading: "Webhook endpoint created", secret: secret, endpointID: made.id, url: form.values.url)
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            form.fail(apiError)
            return try await webhookForm(form, scope: scope, status: apiError.status)
        }
    }

    func secretPage(_ scope: DashboardScope, heading: String, secret: String, endpointID: String, url: String)
        async throws -> Response
    {
        try await settingsPage(
            scope, title: heading, current: "/ui/settings", template: DashboardTemplates.secretShown,
            values: [
                "heading": heading, "what": "signing secret", "secret": secret, "about": "\(url) · \(endpointID)",
                "back": "/ui/settings/webhooks/\(endpointID)", "back_label": "Go to the endpoint",
            ], status: .created)
    }

    /// `GET /ui/settings/webhooks/{id}`: one endpoint (another organization's is a 404): its form, its actions
    /// (rotate the secret, send a test ping, delete) and its delivery log.
    @Sendable func webhookEndpoint(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .listWebhookEndpoints)
        let endpoint = try await gateway.webhookEndpoint(
            try webhookID(context), in: scope.organization, by: scope.actor)
        let notices = [
            "saved": "The endpoint was saved.", "ping": "A test ping was queued: see its delivery below.",
            "retried": "The delivery was queued again.",
            "again": "This form was already sent: the endpoint was made then, and its secret shown that once.",
        ]
        let notice = request.uri.queryParameters.get("done").flatMap { notices[$0] }
        return try await webhookPage(
            WebhookFormView(endpoint: endpoint), scope: scope, request: request, notice: notice)
    }

    /// `POST /ui/settings/webhooks/{id}`: `PATCH /v1/webhook-endpoints/{id}` with the url, events, description
    /// and enabled flag.
    @Sendable func updateWebhookEndpoint(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .updateWebhookEndpoint)
        let id = try webhookID(context)
        let endpoint = try await gateway.webhookEndpoint(id, in: scope.organization, by: scope.actor)
        let fields = try await settingsForm(request, context: context, scope: scope)
        var form = WebhookFormView(endpoint: endpoint)
        form.read(fields)
        do {
            _ = try await gateway.updateWebhookEndpoint(id, form.input, in: scope.organization, by: scope.actor)
            return DashboardPages.redirect(to: scope.link("/ui/settings/webhooks/\(id)", done: "saved"))
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            form.fail(apiError)
            return try await webhookPage(form, scope: scope, request: request, status: apiError.status)
        }
    }

    /// `POST /ui/settings/webhooks/{id}/rotate`: a new signing secret, shown this once (the old one signs too
    /// for a day); once per form, so a second submit rotates nothing more.
    @Sendable func rotateWebhookSecret(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .rotateWebhookSecret)
        let id = try webhookID(context)
        let endpoint = try await gateway.webhookEndpoint(id, in: scope.organization, by: scope.actor)
        let fields = try await settingsForm(request, context: context, scope: scope)
        var secret: String?
        let made = try await once(
            route: "POST /ui/settings/webhooks/{id}/rotate", key: Self.formKey(fields),
            hash: Self.valuesHash([id]), scope: scope
        ) {
            secret = try await gateway.rotateWebhookSecret(id, in: scope.organization, by: scope.actor).secret
            return id
        }
        guard let secret, !made.replayed else {
            return DashboardPages.redirect(to: scope.link("/ui/settings/webhooks/\(id)", done: "again"))
        }
        return try await secretPage(
            scope, heading: "Signing secret rotated", secret: secret, endpointID: id, url: endpoint.url)
    }

    /// `POST /ui/settings/webhooks/{id}/test`: a `ping` event to this endpoint only.
    @Sendable func testWebhookEndpoint(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .testWebhookEndpoint)
        let id = try webhookID(context)
        _ = try await settingsForm(request, context: context, scope: scope)
        do {
            _ = try await gateway.sendWebhookTest(id, in: scope.organization, by: scope.actor)
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            let endpoint = try await gateway.webhookEndpoint(id, in: scope.organization, by: scope.actor)
            return try await webhookPage(
                WebhookFormView(endpoint: endpoint), scope: scope, request: request, error: apiError.message,
                status: apiError.status)
        }
        return DashboardPages.redirect(to: scope.link("/ui/settings/webhooks/\(id)", done: "ping"))
    }

    /// `POST /ui/settings/webhooks/{id}/delete`: `DELETE /v1/webhook-endpoints/{id}`; its deliveries' history
    /// stays.
    @Sendable func deleteWebhookEndpoint(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .deleteWebhookEndpoint)
        let id = try webhookID(context)
        _ = try await settingsForm(request, context: context, scope: scope)
        try await gateway.deleteWebhookEndpoint(id, in: scope.organization, by: scope.actor)
        return DashboardPages.redirect(to: scope.link("/ui/settings/webhooks", done: "deleted"))
    }

    func webhookID(_ context: PesaRequestContext) throws -> String {
        guard let text = context.parameters.get("id"), (try? WebhookEndpointID(parsing: text)) != nil else {
            throw APIError.notFound()
        }
        return text
    }

    func webhookForm(_ form: WebhookFormView, scope: DashboardScope, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        var values = form.context
        values["idempotency_key"] = DashboardSessions.randomToken()
        return try await settingsPage(
            scope, title: "Add a webhook endpoint", current: "/ui/settings", template: DashboardTemplates.webhookForm,
            values: values, status: status)
    }
}
