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

/// A user of the organization (or, in the system folder, a super admin).
public struct UserRecord: Sendable, Equatable {
    public internal(set) var id: UserID
    public internal(set) var email: String
    public internal(set) var role: Role
    /// bcrypt hash.
    public internal(set) var passwordHash: String
    public internal(set) var disabled: Bool
    public internal(set) var createdAtMs: Int64
    public internal(set) var updatedAtMs: Int64
}

/// An API key: only its hash and a hint are kept.
public struct APIKeyRecord: Sendable, Equatable {
    public internal(set) var id: APIKeyID
    public internal(set) var name: String
    public internal(set) var role: Role
    public internal(set) var keyHash: String
    public internal(set) var keyHint: String
    public internal(set) var environment: String
    public internal(set) var createdAtMs: Int64
    public internal(set) var revokedAtMs: Int64?

    public var isRevoked: Bool { revokedAtMs != nil }
}

/// What is known outside the vault about the organization's Daraja credentials.
public struct CredentialsRecord: Sendable, Equatable {
    public internal(set) var version: Int64
    public internal(set) var environment: String
    public internal(set) var businessShortCode: String
    /// Field name -> masked value.
    public internal(set) var hints: [String: String]
    public internal(set) var updatedAtMs: Int64
}
