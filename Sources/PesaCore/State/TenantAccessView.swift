/// The part of a tenant's state that every authenticated request asks about: the organization (status,
/// plan, rate limit), its users, API keys and logged-out tokens. The engine publishes one after each durable
/// batch, so the authentication path reads it without waiting behind writes; it never shows an event that is
/// not durable. It shares the state's storage (copy on write), so publishing costs a few reference counts and
/// payment writes, which do not touch these tables, copy nothing.
public struct TenantAccessView: Sendable {
    public let organization: OrganizationRecord?
    let users: [UserID: UserRecord]
    let apiKeys: [APIKeyID: APIKeyRecord]
    let apiKeyIDsByHash: [String: APIKeyID]
    let revokedTokens: [String: Int64]
    /// What `Pesa-Billing-Warning` says while the subscription is past due (nil otherwise).
    public let billingWarning: String?

    /// The view of an empty state (before a tenant's first event).
    public init() {
        self.init(TenantState())
    }

    init(_ state: TenantState) {
        organization = state.organization
        users = state.users
        apiKeys = state.apiKeys
        apiKeyIDsByHash = state.apiKeyIDsByHash
        revokedTokens = state.revokedTokens
        billingWarning = state.billingWarning
    }

    public func user(id: UserID) -> UserRecord? { users[id] }

    public func apiKey(hash: String) -> APIKeyRecord? {
        apiKeyIDsByHash[hash].flatMap { apiKeys[$0] }
    }

    public func isTokenRevoked(_ tokenID: String) -> Bool { revokedTokens[tokenID] != nil }

    /// The rate limit in force: the organization's override, else its plan's.
    public var rateLimitPerMinute: Int64? {
        guard let organization else { return nil }
        if let override = organization.rateLimitOverride { return override }
        return (try? Plan.named(organization.plan))?.rateLimitPerMinute
    }
}

extension TenantState {
    /// What the authentication path needs, sharing this state's storage.
    public var accessView: TenantAccessView { TenantAccessView(self) }
}
