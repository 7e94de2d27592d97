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
    /// The key's own rate limit, besides its organization's; nil: only the organization's applies.
    public internal(set) var rateLimit: RateLimit? = nil

    public var isRevoked: Bool { revokedAtMs != nil }
}
