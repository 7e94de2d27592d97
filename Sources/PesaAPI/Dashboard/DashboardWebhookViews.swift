import Foundation
import PesaCore
import PesaEngine

/// A webhook endpoint's form: its values (as typed, or the endpoint's), the errors next to its fields, and the
/// endpoint it edits (nil: a new one). Each event type is a checkbox of its own (`event.payment.succeeded`);
/// none ticked means every event, as in the API.
struct WebhookFormView: DashboardFieldForm {
    struct Values {
        var url = ""
        var events: [String] = []
        var description = ""
    }

    static let eventTypes = WebhookEventType.allCases.filter { $0 != .ping }.map(\.rawValue)
    static let fieldNames = ["url", "events", "description", "enabled"]

    let endpoint: WebhookEndpointRecord?
    var values = Values()
    var enabled = true
    var errors: [String: String] = [:]
    var error: String?

    init(endpoint: WebhookEndpointRecord?) {
        self.endpoint = endpoint
        if let endpoint {
            values = Values(url: endpoint.url, events: endpoint.events, description: endpoint.description ?? "")
            enabled = endpoint.enabled
        }
    }

    mutating func read(_ fields: [String: String]) {
        values.url = fields["url"]?.trimmingCharacters(in: .whitespaces) ?? ""
        values.description = fields["description"] ?? ""
        values.events = Self.eventTypes.filter { fields["event." + $0] != nil }
        enabled = fields["enabled"] != nil
    }

    /// The use case's input: every field of the form, so an edit sets what the form shows.
    var input: WebhookEndpointInput {
        WebhookEndpointInput(
            url: values.url, events: values.events, description: values.description, enabled: enabled)
    }

    /// What identifies the form's request for its idempotency key.
    var hash: String {
        DashboardController.valuesHash(
            [values.url, values.events.joined(separator: ","), values.description, enabled ? "1" : "0"])
    }

    var context: [String: Any] {
        var context: [String: Any] = [
            "editing": endpoint != nil, "id": endpoint?.id.rawValue ?? "", "url": values.url,
            "description": values.description, "enabled": enabled,
            "events": Self.eventTypes.map { ["name": $0, "checked": values.events.contains($0)] as [String: Any] },
            "url_error": DashboardPages.section(errors["url"]),
            "events_error": DashboardPages.section(errors["events"]),
            "description_error": DashboardPages.section(errors["description"]),
            "error": DashboardPages.section(error),
        ]
        if let endpoint {
            context["hint"] = endpoint.secretHint
            context["state"] =
                endpoint.enabled ? "enabled" : "disabled" + (endpoint.disabledReason.map { ": " + $0 } ?? "")
            context["created"] = DashboardFormat.kenyaTime(ms: endpoint.createdAtMs)
            context["previous_until"] = DashboardPages.section(
                endpoint.previousSecretValidUntilMs.map { DashboardFormat.kenyaTime(ms: $0) })
            context["failing_since"] = DashboardPages.section(
                endpoint.failingSinceMs.map { DashboardFormat.kenyaTime(ms: $0) })
        }
        return context
    }
}
