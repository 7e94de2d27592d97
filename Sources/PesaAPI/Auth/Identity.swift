public import PesaCore

/// Who is calling, once authenticated: the PesaCore `Principal` (role and organization, the input of the
/// permission matrix) plus what authenticated it (a user's JWT or an API key).
public struct Identity: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case jwt
        case apiKey = "api_key"
    }

    public enum Subject: Hashable, Sendable, CustomStringConvertible {
        case user(UserID)
        case apiKey(APIKeyID)

        public var description: String {
            switch self {
            case .user(let id): id.rawValue
            case .apiKey(let id): id.rawValue
            }
        }
    }

    public let principal: Principal
    public let subject: Subject
    /// The JWT's `jti`, for revocation; nil for API keys.
    public let tokenID: String?
    /// The JWT's `exp` (Unix seconds): a logged-out token is remembered until then. nil for API keys.
    public let tokenExpiresAtSeconds: Int64?
    /// An API key's environment (`sandbox`, `production`); nil for a JWT.
    public let keyEnvironment: String?

    public init(user: UserID, principal: Principal, tokenID: String, tokenExpiresAtSeconds: Int64? = nil) {
        self.principal = principal
        self.subject = .user(user)
        self.tokenID = tokenID
        self.tokenExpiresAtSeconds = tokenExpiresAtSeconds
        self.keyEnvironment = nil
        self.keyRateLimit = nil
    }

    /// An API key's own rate limit, besides its organization's (`RateLimitMiddleware`); nil for a JWT and for a
    /// key without one.
    public let keyRateLimit: RateLimit?

    public init(apiKey: APIKeyID, principal: Principal, environment: String? = nil, rateLimit: RateLimit? = nil) {
        self.principal = principal
        self.subject = .apiKey(apiKey)
        self.tokenID = nil
        self.tokenExpiresAtSeconds = nil
        self.keyEnvironment = environment
        self.keyRateLimit = rateLimit
    }

    public var kind: Kind {
        switch subject {
        case .user: .jwt
        case .apiKey: .apiKey
        }
    }

    public var role: Role { principal.role }
    /// nil only for super_admin.
    public var organizationID: OrganizationID? { principal.organizationID }
}
