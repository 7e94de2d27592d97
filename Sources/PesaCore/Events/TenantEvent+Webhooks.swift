extension TenantEvent {
    /// `webhook_endpoint.created`: the signing secret lives in the vault; only a hint is journaled.
    public struct WebhookEndpointCreated: Sendable, Equatable, Codable {
        public var endpointID: WebhookEndpointID
        public var url: String
        /// Event types delivered (`payment.succeeded`, ...); empty means all.
        public var events: [String]
        public var secretHint: String

        public init(endpointID: WebhookEndpointID, url: String, events: [String], secretHint: String) {
            self.endpointID = endpointID
            self.url = url
            self.events = events
            self.secretHint = secretHint
        }

        enum CodingKeys: String, CodingKey {
            case url, events
            case endpointID = "endpoint_id"
            case secretHint = "secret_hint"
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
