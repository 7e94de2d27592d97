import Foundation
import Hummingbird
import PesaCore
import PesaEngine

/// A webhook endpoint as the API shows it; `secret` only in the answer that made it (creation, rotation).
struct WebhookEndpointJSON: ResponseEncodable, Sendable {
    let id: String
    let url: String
    let events: [String]
    let description: String?
    let enabled: Bool
    let disabledReason: String?
    let secretHint: String
    let secret: String?
    let previousSecretValidUntil: String?
    let failingSince: String?
    let createdAt: String
    let updatedAt: String

    init(_ endpoint: WebhookEndpointRecord, secret: String? = nil) {
        id = endpoint.id.rawValue
        url = endpoint.url
        events = endpoint.events
        description = endpoint.description
        enabled = endpoint.enabled
        disabledReason = endpoint.disabledReason
        secretHint = endpoint.secretHint
        self.secret = secret
        previousSecretValidUntil = endpoint.previousSecretValidUntilMs.map(RFC3339.string(ms:))
        failingSince = endpoint.failingSinceMs.map(RFC3339.string(ms:))
        createdAt = RFC3339.string(ms: endpoint.createdAtMs)
        updatedAt = RFC3339.string(ms: endpoint.updatedAtMs)
    }

    enum CodingKeys: String, CodingKey {
        case id, url, events, description, enabled, secret
        case disabledReason = "disabled_reason"
        case secretHint = "secret_hint"
        case previousSecretValidUntil = "previous_secret_valid_until"
        case failingSince = "failing_since"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One attempt of a delivery.
struct WebhookAttemptJSON: Encodable, Sendable {
    let at: String
    let statusCode: Int?
    let latencyMs: Int64
    let error: String?

    init(_ attempt: WebhookAttempt) {
        at = RFC3339.string(ms: attempt.atMs)
        statusCode = attempt.statusCode
        latencyMs = attempt.latencyMs
        error = attempt.error
    }

    enum CodingKeys: String, CodingKey {
        case at, error
        case statusCode = "status_code"
        case latencyMs = "latency_ms"
    }
}

/// A delivery: `webhook_id` is what the endpoint received in the `webhook-id` header (the event's id).
struct WebhookDeliveryJSON: ResponseEncodable, Sendable {
    let id: String
    let eventID: String
    let endpointID: String
    let webhookID: String
    let type: String
    let status: String
    let attempts: [WebhookAttemptJSON]
    let nextAttemptAt: String?
    let createdAt: String
    let updatedAt: String

    init(_ delivery: WebhookDeliveryRecord, type: WebhookEventType) {
        id = delivery.id.rawValue
        eventID = delivery.eventID.rawValue
        endpointID = delivery.endpointID.rawValue
        webhookID = delivery.eventID.rawValue
        self.type = type.rawValue
        status = delivery.status.rawValue
        attempts = delivery.attempts.map(WebhookAttemptJSON.init)
        nextAttemptAt = delivery.nextAttemptAtMs.map(RFC3339.string(ms:))
        createdAt = RFC3339.string(ms: delivery.createdAtMs)
        updatedAt = RFC3339.string(ms: delivery.updatedAtMs)
    }

    enum CodingKeys: String, CodingKey {
        case id, type, status, attempts
        case eventID = "event_id"
        case endpointID = "endpoint_id"
        case webhookID = "webhook_id"
        case nextAttemptAt = "next_attempt_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// An event as `GET /v1/events` lists it: what it is about, and its deliveries when read alone.
struct WebhookEventJSON: ResponseEncodable, Sendable {
    let id: String
    let type: String
    let object: String
    let objectID: String?
    let createdAt: String
    let deliveries: [WebhookDeliveryJSON]?

    init(_ event: WebhookEventRecord, deliveries: [WebhookDeliveryRecord]? = nil) {
        id = event.id.rawValue
        type = event.type.rawValue
        object = event.subject.rawValue
        objectID = event.subjectID
        createdAt = RFC3339.string(ms: event.createdAtMs)
        self.deliveries = deliveries?.map { WebhookDeliveryJSON($0, type: event.type) }
    }

    enum CodingKeys: String, CodingKey {
        case id, type, object, deliveries
        case objectID = "object_id"
        case createdAt = "created_at"
    }
}

/// The body every endpoint receives: `{"id", "type", "created_at", "data"}`, `data` being the object as its `GET`
/// route shows it when the delivery is made (a payment, batch, invoice, the subscription, the balances of a
/// short code, an endpoint), or `null` when it is gone.
struct APIWebhookRenderer: WebhookRendering {
    let settings: PaymentSettings

    struct Body<Data: Encodable>: Encodable {
        let id: String
        let type: String
        let createdAt: String
        let data: Data?
        /// `GET /v1/events/{id}` only: what the event is about, and its deliveries.
        var object: String?
        var objectID: String?
        var deliveries: [WebhookDeliveryJSON]?

        enum CodingKeys: String, CodingKey {
            case id, type, data, object, deliveries
            case createdAt = "created_at"
            case objectID = "object_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(type, forKey: .type)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(data, forKey: .data)  // null when the object is gone
            try container.encodeIfPresent(object, forKey: .object)
            try container.encodeIfPresent(objectID, forKey: .objectID)
            try container.encodeIfPresent(deliveries, forKey: .deliveries)
        }
    }

    struct Ping: Encodable {
        let message: String
    }

    func body(of event: WebhookEventRecord, in state: TenantState) -> [UInt8] {
        document(of: event, deliveries: nil, in: state)
    }

    /// The webhook body; with `deliveries`, the event as `GET /v1/events/{id}` shows it.
    func document(of event: WebhookEventRecord, deliveries: [WebhookDeliveryRecord]?, in state: TenantState)
        -> [UInt8]
    {
        func encode(_ data: (some Encodable)?) -> [UInt8] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var body = Body(
                id: event.id.rawValue, type: event.type.rawValue, createdAt: RFC3339.string(ms: event.createdAtMs),
                data: data)
            if let deliveries {
                body.object = event.subject.rawValue
                body.objectID = event.subjectID
                body.deliveries = deliveries.map { WebhookDeliveryJSON($0, type: event.type) }
            }
            return (try? encoder.encode(body)).map(Array.init) ?? []
        }
        let id = event.subjectID ?? ""
        switch event.subject {
        case .payment:
            let payment = (try? PaymentID(parsing: id)).flatMap { state.payment(id: $0) }
            return encode(payment.map { PaymentJSON($0, reconciliation: settings.reconciliation(of: $0)) })
        case .batch:
            return encode((try? BatchID(parsing: id)).flatMap { state.batches[$0] }.map(BatchJSON.init))
        case .invoice:
            return encode((try? InvoiceID(parsing: id)).flatMap { state.billing.invoices[$0] }.map(InvoiceJSON.init))
        case .subscription:
            return encode(state.billing.subscription)
        case .balance:
            let accounts = state.balances.values.filter { $0.shortCodeID?.rawValue == event.subjectID }
                .sorted { $0.account < $1.account }
                .map {
                    BalanceJSON.Account(
                        account: $0.account, currency: $0.currency, current: $0.current.description,
                        available: $0.available.description, reserved: $0.reserved.description,
                        uncleared: $0.uncleared.description, asOf: RFC3339.string(ms: $0.asOfMs),
                        shortCode: $0.shortCode, shortCodeID: $0.shortCodeID?.rawValue)
                }
            return encode(accounts)
        case .endpoint:
            let endpoint = (try? WebhookEndpointID(parsing: id)).flatMap { state.webhookEndpoints[$0] }
            return encode(endpoint.map { WebhookEndpointJSON($0) })
        case .ping:
            return encode(Ping(message: "a test event from Pesa Gateway"))
        }
    }
}
