/// The organization a tenant folder belongs to.
public struct OrganizationRecord: Sendable, Equatable {
    public internal(set) var id: OrganizationID
    public internal(set) var name: String
    public internal(set) var slug: OrgSlug
    public internal(set) var plan: String
    public internal(set) var status: OrganizationStatus
    public internal(set) var subscriptionStatus: SubscriptionStatus
    public internal(set) var currentPeriodStartMs: Int64
    public internal(set) var currentPeriodEndMs: Int64
    /// Requests per minute replacing the plan's, when set.
    public internal(set) var rateLimitOverride: Int64?
    public internal(set) var callbackToken: String
    public internal(set) var createdAtMs: Int64
    public internal(set) var updatedAtMs: Int64
}
