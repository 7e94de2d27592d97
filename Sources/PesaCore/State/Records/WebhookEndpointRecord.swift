/// A URL of the organization's own systems that receives its events, signed with a secret kept in the vault.
public struct WebhookEndpointRecord: Sendable, Equatable, Codable {
    public internal(set) var id: WebhookEndpointID
    public internal(set) var url: String
    /// Event types delivered (`payment.succeeded`, ...); empty means all.
    public internal(set) var events: [String]
    public internal(set) var description: String?
    public internal(set) var enabled: Bool
    /// Why the gateway disabled it (`410 Gone`, five days of failures); nil when enabled or disabled by a person.
    public internal(set) var disabledReason: String?
    public internal(set) var secretHint: String
    /// While rotating: the previous secret is still valid (and signs too) until then.
    public internal(set) var previousSecretValidUntilMs: Int64?
    /// The first failed attempt since the last success: five days of failures disable the endpoint.
    public internal(set) var failingSinceMs: Int64?
    public internal(set) var createdAtMs: Int64
    public internal(set) var updatedAtMs: Int64

    /// Whether the endpoint receives events of `type` (`ping` only when sent to it by name).
    public func subscribes(to type: String) -> Bool {
        type != WebhookEventType.ping.rawValue && (events.isEmpty || events.contains(type))
    }

    enum CodingKeys: String, CodingKey {
        case id, url, events, description, enabled
        case disabledReason = "disabled_reason"
        case secretHint = "secret_hint"
        case previousSecretValidUntilMs = "previous_secret_valid_until_ms"
        case failingSinceMs = "failing_since_ms"
        case createdAtMs = "created_at_ms"
        case updatedAtMs = "updated_at_ms"
    }
}

/// The events an organization's endpoints can receive.
public enum WebhookEventType: String, Sendable, CaseIterable, Codable {
    case paymentSucceeded = "payment.succeeded"
    case paymentFailed = "payment.failed"
    case paymentCancelled = "payment.cancelled"
    case paymentTimeout = "payment.timeout"
    case payoutSucceeded = "payout.succeeded"
    case payoutFailed = "payout.failed"
    case batchCompleted = "batch.completed"
    case reversalCompleted = "reversal.completed"
    case balanceUpdated = "balance.updated"
    case c2bReceived = "c2b.received"
    case invoiceFinalized = "invoice.finalized"
    case invoicePaid = "invoice.paid"
    case subscriptionUpdated = "subscription.updated"
    case endpointDisabled = "endpoint.disabled"
    case ping
}

/// What an event is about: the object its `data` shows, as the API shows it when the event is delivered.
public enum WebhookSubjectKind: String, Sendable, Codable, CaseIterable {
    case payment, batch, invoice, subscription, balance, endpoint, ping
}

/// One event of the organization (`evt_…`): its type, what it is about, and its deliveries.
public struct WebhookEventRecord: Sendable, Equatable, Codable {
    public internal(set) var id: EventID
    public internal(set) var type: WebhookEventType
    public internal(set) var subject: WebhookSubjectKind
    /// The id of the object (`pay_…`, `bat_…`, `inv_…`, `whk_…`, a short code id for a balance); nil for
    /// `subscription` and `ping`.
    public internal(set) var subjectID: String?
    public internal(set) var createdAtMs: Int64
    public internal(set) var deliveries: [WebhookDeliveryID]

    enum CodingKeys: String, CodingKey {
        case id, type, subject, deliveries
        case subjectID = "subject_id"
        case createdAtMs = "created_at_ms"
    }
}

public enum WebhookDeliveryStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its next attempt (`next_attempt_at_ms`).
    case pending
    /// An attempt was answered 2xx.
    case succeeded
    /// The schedule ran out, the endpoint answered 410 or was disabled or deleted: `retry` or `recover` sends
    /// it again.
    case failed
}

/// One attempt of a delivery.
public struct WebhookAttempt: Sendable, Equatable, Codable {
    public var atMs: Int64
    public var statusCode: Int?
    public var latencyMs: Int64
    public var error: String?

    public init(atMs: Int64, statusCode: Int?, latencyMs: Int64, error: String?) {
        self.atMs = atMs
        self.statusCode = statusCode
        self.latencyMs = latencyMs
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case error
        case atMs = "at_ms"
        case statusCode = "status_code"
        case latencyMs = "latency_ms"
    }
}

/// One event's delivery to one endpoint, with every attempt (the last `Limits.webhookAttemptsKeptMax`).
public struct WebhookDeliveryRecord: Sendable, Equatable, Codable {
    public internal(set) var id: WebhookDeliveryID
    public internal(set) var eventID: EventID
    public internal(set) var endpointID: WebhookEndpointID
    public internal(set) var status: WebhookDeliveryStatus
    public internal(set) var attempts: [WebhookAttempt]
    /// Attempts made since it was last queued (the retry schedule's position).
    public internal(set) var scheduledAttempts: Int
    public internal(set) var nextAttemptAtMs: Int64?
    public internal(set) var createdAtMs: Int64
    public internal(set) var updatedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, status, attempts
        case eventID = "event_id"
        case endpointID = "endpoint_id"
        case scheduledAttempts = "scheduled_attempts"
        case nextAttemptAtMs = "next_attempt_at_ms"
        case createdAtMs = "created_at_ms"
        case updatedAtMs = "updated_at_ms"
    }
}
