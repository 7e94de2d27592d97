import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    static let eventPageCount = 20

    func addEventRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("settings/webhooks/events", use: events)
        group.get("settings/webhooks/events/:event", use: event)
    }

    /// `GET /ui/settings/webhooks/events`: the organization's events as `GET /v1/events` lists them (org_admin),
    /// newest first, `type` filtering them and `after` paging, each with its payload as `GET /v1/events/{id}`
    /// gives it, shown as text.
    @Sendable func events(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .listEvents)
        let query = request.uri.queryParameters
        let typed = query.get("type").flatMap { $0.isEmpty ? nil : $0 }
        let after = query.get("after").flatMap { $0.isEmpty ? nil : $0 }
        var error: String?
        var status = HTTPResponse.Status.ok
        var type: WebhookEventType?
        if let typed {
            type = WebhookEventType(rawValue: typed)
            if type == nil {
                error = "unknown event type \(typed)"
                status = .unprocessableContent
            }
        }
        var found: (items: [WebhookEventRecord], more: Bool) = ([], false)
        if error == nil {
            if let page = try await eventPage(type: type, after: after, scope: scope) {
                found = page
            } else {
                error = "This page link names no event of this list; the list starts from the newest."
                found = try await eventPage(type: type, after: nil, scope: scope) ?? ([], false)
            }
        }
        var rows: [[String: Any]] = []
        for record in found.items {
            var row = Self.eventRow(record)
            row["payload"] = try await eventPayload(record.id.rawValue, scope: scope)
            rows.append(row)
        }
        let typeQuery = type.map { "type=" + $0.rawValue }
        let firstQuery = [typeQuery, scope.org.map { "org=" + $0 }].compactMap { $0 }.joined(separator: "&")
        let next = found.more ? found.items.last.map { "after=" + $0.id.rawValue } : nil
        return try await settingsPage(
            scope, title: "Events", current: "/ui/settings", template: DashboardTemplates.events,
            values: [
                "rows": rows, "empty": rows.isEmpty, "error": DashboardPages.section(error),
                "type": DashboardPages.section(type?.rawValue), "type_error": typed != nil && type == nil,
                "types": WebhookEventType.allCases.map {
                    ["value": $0.rawValue, "selected": $0 == type] as [String: Any]
                },
                "first": after != nil, "first_query": firstQuery.isEmpty ? "" : "?" + firstQuery,
                "next": DashboardPages.section(
                    next.map {
                        "/ui/settings/webhooks/events?"
                            + ([typeQuery, $0].compactMap { $0 }
                                .joined(separator: "&")) + scope.orgAnd
                    }),
            ], status: status)
    }

    /// `GET /ui/settings/webhooks/events/{id}`: the event as `GET /v1/events/{id}` gives it, shown as text.
    @Sendable func event(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .listEvents)
        let id = context.parameters.get("event") ?? ""
        let payload = try await eventPayload(id, scope: scope)
        let found = try await gateway.webhookEvent(id, in: scope.organization, by: scope.actor)
        var values = Self.eventRow(found.event)
        values["payload"] = payload
        return try await settingsPage(
            scope, title: "Event", current: "/ui/settings", template: DashboardTemplates.event, values: values)
    }

    /// A page of the events of `type` after `after`; nil when `after` names none of them.
    func eventPage(type: WebhookEventType?, after: String?, scope: DashboardScope) async throws
        -> (items: [WebhookEventRecord], more: Bool)?
    {
        do {
            return try await gateway.webhookEvents(
                type: type, after: after, limit: Self.eventPageCount, in: scope.organization, by: scope.actor)
        } catch  where error.code == .invalidField {
            return nil
        }
    }

    static func eventRow(_ record: WebhookEventRecord) -> [String: Any] {
        [
            "id": record.id.rawValue, "type": record.type.rawValue, "object": record.subject.rawValue,
            "object_id": record.subjectID ?? "", "created": DashboardFormat.kenyaTime(ms: record.createdAtMs),
            "deliveries": String(record.deliveries.count),
        ]
    }

    /// The event's document (`Gateway.webhookEventDocument` with the API's renderer), indented for reading.
    func eventPayload(_ id: String, scope: DashboardScope) async throws -> String {
        let renderer = APIWebhookRenderer(settings: gateway.payments)
        let bytes = try await gateway.webhookEventDocument(id, in: scope.organization, by: scope.actor) {
            renderer.document(of: $0, deliveries: $1, in: $2)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
            let pretty = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: pretty, as: UTF8.self)
    }
}
