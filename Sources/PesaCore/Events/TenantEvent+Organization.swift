extension TenantEvent {
    /// `organization.created`: the tenant's first event.
    public struct OrganizationCreated: Sendable, Equatable, Codable {
        public var organizationID: OrganizationID
        public var name: String
        public var slug: OrgSlug
        public var plan: String
        public var subscriptionStatus: SubscriptionStatus
        public var currentPeriodStartMs: Int64
        public var currentPeriodEndMs: Int64
        /// The unguessable path part of the callback URLs. Not a Daraja credential: it is shown to the
        /// organization's admins as part of `callback_url_base`.
        public var callbackToken: String

        public init(organizationID: OrganizationID, name: String, slug: OrgSlug, plan: String,
                    subscriptionStatus: SubscriptionStatus, currentPeriodStartMs: Int64, currentPeriodEndMs: Int64,
                    callbackToken: String) {
            self.organizationID = organizationID
            self.name = name
            self.slug = slug
            self.plan = plan
            self.subscriptionStatus = subscriptionStatus
            self.currentPeriodStartMs = currentPeriodStartMs
            self.currentPeriodEndMs = currentPeriodEndMs
            self.callbackToken = callbackToken
        }

        enum CodingKeys: String, CodingKey {
            case name, slug, plan
            case organizationID = "organization_id"
            case subscriptionStatus = "subscription_status"
            case currentPeriodStartMs = "current_period_start_ms"
            case currentPeriodEndMs = "current_period_end_ms"
            case callbackToken = "callback_token"
        }
    }

    /// `organization.updated`: only the fields present change.
    public struct OrganizationUpdated: Sendable, Equatable, Codable {
        public var name: String?
        public var plan: String?
        public var status: OrganizationStatus?
        public var subscriptionStatus: SubscriptionStatus?
        public var currentPeriodStartMs: Int64?
        public var currentPeriodEndMs: Int64?
        /// A rate limit (requests per minute) that replaces the plan's.
        public var rateLimitOverride: Int64?
        /// With `rateLimitOverride`: the override's burst. The override is replaced whole: absent, the burst
        /// override is removed too.
        public var rateLimitBurstOverride: Int64?
        /// `true`: the override is removed (the plan's rate limit applies again).
        public var rateLimitOverrideCleared: Bool?
        /// A new callback token (a rotation).
        public var callbackToken: String?
        /// With `callbackToken`: until when the token it replaces is still accepted (none: not at all).
        public var previousCallbackTokenValidUntilMs: Int64?

        public init(name: String? = nil, plan: String? = nil, status: OrganizationStatus? = nil,
                    subscriptionStatus: SubscriptionStatus? = nil, currentPeriodStartMs: Int64? = nil,
                    currentPeriodEndMs: Int64? = nil, rateLimitOverride: Int64? = nil,
                    rateLimitOverrideCleared: Bool? = nil, callbackToken: String? = nil,
                    previousCallbackTokenValidUntilMs: Int64? = nil, rateLimitBurstOverride: Int64? = nil) {
            self.name = name
            self.plan = plan
            self.status = status
            self.subscriptionStatus = subscriptionStatus
            self.currentPeriodStartMs = currentPeriodStartMs
            self.currentPeriodEndMs = currentPeriodEndMs
            self.rateLimitOverride = rateLimitOverride
            self.rateLimitOverrideCleared = rateLimitOverrideCleared
            self.rateLimitBurstOverride = rateLimitBurstOverride
            self.callbackToken = callbackToken
            self.previousCallbackTokenValidUntilMs = previousCallbackTokenValidUntilMs
        }

        enum CodingKeys: String, CodingKey {
            case name, plan, status
            case subscriptionStatus = "subscription_status"
            case currentPeriodStartMs = "current_period_start_ms"
            case currentPeriodEndMs = "current_period_end_ms"
            case rateLimitOverride = "rate_limit_override"
            case rateLimitOverrideCleared = "rate_limit_override_cleared"
            case rateLimitBurstOverride = "rate_limit_burst_override"
            case callbackToken = "callback_token"
            case previousCallbackTokenValidUntilMs = "previous_callback_token_valid_until_ms"
        }
    }

    /// `credentials.updated`: the vault now holds this version. Only non-secret facts and masked hints.
    public struct CredentialsUpdated: Sendable, Equatable, Codable {
        public var version: Int64
        /// `sandbox` or `production`.
        public var environment: String
        public var businessShortCode: String
        /// Field name -> masked value (`consumer_secret` -> `****9f2a`). Never a secret in clear.
        public var hints: [String: String]

        public init(version: Int64, environment: String, businessShortCode: String, hints: [String: String]) {
            self.version = version
            self.environment = environment
            self.businessShortCode = businessShortCode
            self.hints = hints
        }

        enum CodingKeys: String, CodingKey {
            case version, environment, hints
            case businessShortCode = "business_short_code"
        }
    }

    /// `audit.recorded`: who did what to what, for which request. Never a secret.
    public struct AuditRecorded: Sendable, Equatable, Codable {
        /// `usr_...`, `key_...` or `system`.
        public var actor: String
        /// e.g. `user.create`, `payment.stk_push`, `credentials.update`.
        public var action: String
        /// The object acted on (`usr_...`, `pay_...`, ...), empty when none.
        public var target: String
        public var requestID: String

        public init(actor: String, action: String, target: String, requestID: String) {
            self.actor = actor
            self.action = action
            self.target = target
            self.requestID = requestID
        }

        enum CodingKeys: String, CodingKey {
            case actor, action, target
            case requestID = "request_id"
        }
    }
}
