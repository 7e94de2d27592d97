import HTTPTypes
import PesaCore

extension WebhooksController {
    static let endpointSchema = JSONSchema.object([
        "id": JSONSchema.string, "url": JSONSchema.string, "events": JSONSchema.array(of: JSONSchema.string),
        "description": JSONSchema.string, "enabled": JSONSchema.boolean, "disabled_reason": JSONSchema.string,
        "secret_hint": JSONSchema.string, "secret": JSONSchema.string,
        "previous_secret_valid_until": JSONSchema.dateTime, "failing_since": JSONSchema.dateTime,
        "created_at": JSONSchema.dateTime, "updated_at": JSONSchema.dateTime,
    ])
    static let endpointBody = JSONSchema.object([
        "url": JSONSchema.string,
        "events": JSONSchema.array(
            of: JSONSchema.enumeration(WebhookEventType.allCases.filter { $0 != .ping }.map(\.rawValue))),
        "description": JSONSchema.string, "enabled": JSONSchema.boolean,
    ])
    static let deliverySchema = JSONSchema.object([
        "id": JSONSchema.string, "event_id": JSONSchema.string, "endpoint_id": JSONSchema.string,
        "webhook_id": JSONSchema.string, "type": JSONSchema.string,
        "status": JSONSchema.enumeration(WebhookDeliveryStatus.allCases.map(\.rawValue)),
        "attempts": JSONSchema.array(
            of: JSONSchema.object([
                "at": JSONSchema.dateTime, "status_code": JSONSchema.integer, "latency_ms": JSONSchema.integer,
                "error": JSONSchema.string,
            ])),
        "next_attempt_at": JSONSchema.dateTime, "created_at": JSONSchema.dateTime, "updated_at": JSONSchema.dateTime,
    ])
    static let eventSchema = JSONSchema.object([
        "id": JSONSchema.string, "type": JSONSchema.enumeration(WebhookEventType.allCases.map(\.rawValue)),
        "object": JSONSchema.string, "object_id": JSONSchema.string, "created_at": JSONSchema.dateTime,
        "deliveries": JSONSchema.array(of: deliverySchema),
    ])
    static let org: [String: JSONValue] = ["org": JSONSchema.string]

    static let createSpec = RouteSpec(
        .post, "/v1/webhook-endpoints",
        summary: "Add an endpoint (http or https, a public address unless the operator allows private ones); its "
            + "signing secret (whsec_…) is in this answer only",
        action: .createWebhookEndpoint, tag: "webhooks", requestBody: endpointBody, query: org,
        successStatus: .created, responseBody: endpointSchema, errors: [.invalidField, .conflict])
    static let listSpec = RouteSpec(
        .get, "/v1/webhook-endpoints", summary: "The organization's webhook endpoints",
        action: .listWebhookEndpoints, tag: "webhooks", query: org, responseBody: JSONSchema.page(of: endpointSchema))
    static let readSpec = RouteSpec(
        .get, "/v1/webhook-endpoints/{id}", summary: "A webhook endpoint", action: .listWebhookEndpoints,
        tag: "webhooks", query: org, responseBody: endpointSchema, errors: [.notFound])
    static let updateSpec = RouteSpec(
        .patch, "/v1/webhook-endpoints/{id}",
        summary: "Change an endpoint's url, events, description or enabled flag (disabling gives up its pending "
            + "deliveries; recover sends them again)",
        action: .updateWebhookEndpoint, tag: "webhooks", requestBody: endpointBody, query: org,
        responseBody: endpointSchema, errors: [.notFound, .invalidField])
    static let deleteSpec = RouteSpec(
        .delete, "/v1/webhook-endpoints/{id}", summary: "Delete an endpoint; its deliveries' history stays",
        action: .deleteWebhookEndpoint, tag: "webhooks", query: org, successStatus: .noContent, responseBody: nil,
        errors: [.notFound, .conflict])
    static let rotateSpec = RouteSpec(
        .post, "/v1/webhook-endpoints/{id}/rotate-secret",
        summary: "A new signing secret (in this answer only); the old one signs too for 24 hours",
        action: .rotateWebhookSecret, tag: "webhooks", query: org, responseBody: endpointSchema,
        errors: [.notFound, .conflict])
    static let testSpec = RouteSpec(
        .post, "/v1/webhook-endpoints/{id}/test", summary: "Send a ping event to this endpoint",
        action: .testWebhookEndpoint, tag: "webhooks", query: org, successStatus: .accepted,
        responseBody: eventSchema, errors: [.notFound, .conflict])
    static let recoverSpec = RouteSpec(
        .post, "/v1/webhook-endpoints/{id}/recover",
        summary: "Send again every failed delivery to this endpoint whose event was created in [since, until)",
        action: .recoverWebhookDeliveries, tag: "webhooks",
        requestBody: JSONSchema.object(
            ["since": JSONSchema.dateTime, "until": JSONSchema.dateTime], required: ["since"]),
        query: org, responseBody: JSONSchema.object(["recovered": JSONSchema.integer]),
        errors: [.notFound, .invalidField, .conflict])
    static let eventsSpec = RouteSpec(
        .get, "/v1/events", summary: "The organization's events, newest first (?type=)", action: .listEvents,
        tag: "webhooks", query: JSONSchema.pageQuery.merging(org.merging(["type": JSONSchema.string]) { $1 }) { $1 },
        responseBody: JSONSchema.page(of: eventSchema), errors: [.invalidField])
    static let eventSpec = RouteSpec(
        .get, "/v1/events/{id}",
        summary: "An event as its deliveries carry it (data: the object as its route shows it now) and its deliveries",
        action: .listEvents, tag: "webhooks", query: org,
        responseBody: JSONSchema.object([
            "id": JSONSchema.string, "type": JSONSchema.string, "created_at": JSONSchema.dateTime,
            "data": JSONSchema.object([:]), "object": JSONSchema.string, "object_id": JSONSchema.string,
            "deliveries": JSONSchema.array(of: deliverySchema),
        ]), errors: [.notFound])
    static let deliveriesSpec = RouteSpec(
        .get, "/v1/webhook-deliveries",
        summary: "Every delivery with its attempts (status code, latency, error) and next retry, newest event "
            + "first (?status=&endpoint=&event=)",
        action: .listWebhookDeliveries, tag: "webhooks",
        query: JSONSchema.pageQuery.merging(
            org.merging([
                "status": JSONSchema.string, "endpoint": JSONSchema.string, "event": JSONSchema.string,
            ]) { $1 }
        ) { $1 },
        responseBody: JSONSchema.page(of: deliverySchema), errors: [.invalidField])
    static let retrySpec = RouteSpec(
        .post, "/v1/webhook-deliveries/{id}/retry", summary: "Send one delivery again now, on a new schedule",
        action: .retryWebhookDelivery, tag: "webhooks", query: org, responseBody: deliverySchema,
        errors: [.notFound, .conflict])
}
