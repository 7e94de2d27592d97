extension TenantEvent {
    /// `webhook_endpoint.created`: the signing secret lives in the vault; only a hint is journaled.
    public struct WebhookEndpointCreated: Sendable, Equatable, Codable {
        public var endpointID: WebhookEndpointID
        public var url: String
        /// Event types delivered (`payment.succeeded`, ...); empty means all.
        public var events: [String]
        public var secretHint: String
        public var description: String?
        /// Absent means enabled.
        public var enabled: Bool?

        public init(
            endpointID: WebhookEndpointID, url: String, events: [String], secretHint: String,
            description: String? = nil, enabled: Bool? = nil
        ) {
            self.endpointID = endpointID
            self.url = url
            self.events = events
            self.secretHint = secretHint
            self.description = description
            self.enabled = enabled
        }

        enum CodingKeys: String, CodingKey {
            case url, events, description, enabled
            case endpointID = "endpoint_id"
            case secretHint = "secret_hint"
        }
    }

    /// `webhook_endpoint.updated`: the fields given change; `enabled: false` with `disabled_reason` is the
    /// gateway disabling a failing endpoint. Enabling clears `disabled_reason` and the failure streak.
    public struct WebhookEndpointUpdated: Sendable, Equatable, Codable {
        public var endpointID: WebhookEndpointID
        public var url: String?
        public var events: [String]?
        public var description: String?
        public var enabled: Bool?
        public var disabledReason: String?

        public init(
            endpointID: WebhookEndpointID, url: String? = nil, events: [String]? = nil, description: String? = nil,
            enabled: Bool? = nil, disabledReason: String? = nil
        ) {
            self.endpointID = endpointID
            self.url = url
            self.events = events
            self.description = description
            self.enabled = enabled
            self.disabledReason = disabledReason
        }

        enum CodingKeys: String, CodingKey {
            case url, events, description, enabled
            case endpointID = "endpoint_id"
            case disabledReason = "disabled_reason"
        }
    }

    /// `webhook.event_created`: an event of the organization, journaled in the same write as the change it
    /// tells of, with one delivery per enabled endpoint subscribed to it (the outbox).
    public struct WebhookEventCreated: Sendable, Equatable, Codable {
        public struct Delivery: Sendable, Equatable, Codable {
            public var deliveryID: WebhookDeliveryID
            public var endpointID: WebhookEndpointID

            public init(deliveryID: WebhookDeliveryID, endpointID: WebhookEndpointID) {
                self.deliveryID = deliveryID
                self.endpointID = endpointID
            }

            enum CodingKeys: String, CodingKey {
                case deliveryID = "delivery_id"
                case endpointID = "endpoint_id"
            }
        }

        public var eventID: EventID
        public var type: WebhookEventType
        public var subject: WebhookSubjectKind
        public var subjectID: String?
        public var deliveries: [Delivery]

        public init(
            eventID: EventID, type: WebhookEventType, subject: WebhookSubjectKind, subjectID: String?,
            deliveries: [Delivery]
        ) {
            self.eventID = eventID
            self.type = type
            self.subject = subject
            self.subjectID = subjectID
            self.deliveries = deliveries
        }

        enum CodingKeys: String, CodingKey {
            case type, subject, deliveries
            case eventID = "event_id"
            case subjectID = "subject_id"
        }
    }

    /// `webhook.delivery_attempted`: one attempt and what follows: `succeeded`, `pending` again at
    /// `next_attempt_at_ms`, or `failed`.
    public struct WebhookDeliveryAttempted: Sendable, Equatable, Codable {
        public var deliveryID: WebhookDeliveryID
        public var attempt: WebhookAttempt
        public var status: WebhookDeliveryStatus
        public var nextAttemptAtMs: Int64?

        public init(
            deliveryID: WebhookDeliveryID, attempt: WebhookAttempt, status: WebhookDeliveryStatus,
            nextAttemptAtMs: Int64?
        ) {
            self.deliveryID = deliveryID
            self.attempt = attempt
            self.status = status
            self.nextAttemptAtMs = nextAttemptAtMs
        }

        enum CodingKeys: String, CodingKey {
            case attempt, status
            case deliveryID = "delivery_id"
            case nextAttemptAtMs = "next_attempt_at_ms"
        }
    }

    /// `webhook.deliveries_queued`: deliveries sent again (`retry` of one, `recover` of a window), a new schedule
    /// starting at once; or, with `failed` (an endpoint disabled or deleted), pending ones given up.
    public struct WebhookDeliveriesQueued: Sendable, Equatable, Codable {
        public enum Reason: String, Sendable, Codable, CaseIterable {
            case retry, recover
            /// The endpoint was disabled or deleted: its pending deliveries become `failed`.
            case endpointStopped = "endpoint_stopped"
        }

        public var deliveryIDs: [WebhookDeliveryID]
        public var reason: Reason

        public init(deliveryIDs: [WebhookDeliveryID], reason: Reason) {
            self.deliveryIDs = deliveryIDs
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case reason
            case deliveryIDs = "delivery_ids"
        }
    }

    /// `webhook_endpoint.secret_rotated`: the old secret stays valid until `previous_valid_until_ms`.
    public struct WebhookSecretRotated: Sendable, Equatable, Codable {
        public var endpointID: WebhookEndpointID
        public var secretHint: String
        public var previousValidUntilMs: Int64

        public init(endpointID: WebhookEndpointID, secretHint: String, previousValidUntilMs: Int64) {
            self.endpointID = endpointID
            self.secretHint = secretHint
            self.previousValidUntilMs = previousValidUntilMs
        }

        enum CodingKeys: String, CodingKey {
            case endpointID = "endpoint_id"
            case secretHint = "secret_hint"
            case previousValidUntilMs = "previous_valid_until_ms"
        }
    }

    /// `webhook_endpoint.deleted`.
    public struct WebhookEndpointDeleted: Sendable, Equatable, Codable {
        public var endpointID: WebhookEndpointID

        public init(endpointID: WebhookEndpointID) {
            self.endpointID = endpointID
        }

        enum CodingKeys: String, CodingKey {
            case endpointID = "endpoint_id"
        }
    }

    /// `usage.recorded`: API calls counted since the last record, for the month (`YYYY-MM`, Kenya time)
    /// they fell in. The engine counts in memory and records now and then (and at shutdown).
    public struct UsageRecorded: Sendable, Equatable, Codable {
        public var month: String
        public var apiCalls: Int64

        public init(month: String, apiCalls: Int64) {
            self.month = month
            self.apiCalls = apiCalls
        }

        enum CodingKeys: String, CodingKey {
            case month
            case apiCalls = "api_calls"
        }
    }
}
