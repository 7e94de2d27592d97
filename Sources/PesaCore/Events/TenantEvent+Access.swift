extension TenantEvent {
    /// `user.created`: `password_hash` is a bcrypt hash, never a password.
    public struct UserCreated: Sendable, Equatable, Codable {
        public var userID: UserID
        public var email: String
        public var role: Role
        public var passwordHash: String
        /// The request's `Idempotency-Key`, when it came with one.
        public var idempotency: IdempotencyStamp?

        public init(
            userID: UserID, email: String, role: Role, passwordHash: String, idempotency: IdempotencyStamp? = nil
        ) {
            self.userID = userID
            self.email = email
            self.role = role
            self.passwordHash = passwordHash
            self.idempotency = idempotency
        }

        enum CodingKeys: String, CodingKey {
            case email, role, idempotency
            case userID = "user_id"
            case passwordHash = "password_hash"
        }
    }

    /// `user.updated`: only the fields present change.
    public struct UserUpdated: Sendable, Equatable, Codable {
        public var userID: UserID
        public var email: String?
        public var role: Role?
        public var passwordHash: String?
        public var disabled: Bool?

        public init(userID: UserID, email: String? = nil, role: Role? = nil, passwordHash: String? = nil,
                    disabled: Bool? = nil) {
            self.userID = userID
            self.email = email
            self.role = role
            self.passwordHash = passwordHash
            self.disabled = disabled
        }

        enum CodingKeys: String, CodingKey {
            case email, role, disabled
            case userID = "user_id"
            case passwordHash = "password_hash"
        }
    }

    /// `user.deleted`.
    public struct UserDeleted: Sendable, Equatable, Codable {
        public var userID: UserID

        public init(userID: UserID) {
            self.userID = userID
        }

        enum CodingKeys: String, CodingKey {
            case userID = "user_id"
        }
    }

    /// `api_key.created`: only the key's hash and a short hint (`pk_test_…a1b2`) are kept.
    public struct APIKeyCreated: Sendable, Equatable, Codable {
        public var keyID: APIKeyID
        public var name: String
        public var role: Role
        /// Hex SHA-256 of the whole key.
        public var keyHash: String
        public var keyHint: String
        /// `sandbox` (`pk_test_`) or `production` (`pk_live_`).
        public var environment: String
        /// The request's `Idempotency-Key`, when it came with one.
        public var idempotency: IdempotencyStamp?
        /// The key's own rate limit (`{"per_minute": N, "burst": M}`), besides its organization's; absent: none.
        public var rateLimit: RateLimit?

        public init(keyID: APIKeyID, name: String, role: Role, keyHash: String, keyHint: String,
                    environment: String, idempotency: IdempotencyStamp? = nil, rateLimit: RateLimit? = nil) {
            self.keyID = keyID
            self.name = name
            self.role = role
            self.keyHash = keyHash
            self.keyHint = keyHint
            self.environment = environment
            self.idempotency = idempotency
            self.rateLimit = rateLimit
        }

        enum CodingKeys: String, CodingKey {
            case name, role, environment, idempotency
            case keyID = "key_id"
            case keyHash = "key_hash"
            case keyHint = "key_hint"
            case rateLimit = "rate_limit"
        }
    }

    /// `token.revoked`: a login JWT given up at logout. Remembered until it would have expired anyway.
    public struct TokenRevoked: Sendable, Equatable, Codable {
        /// The JWT's `jti`.
        public var tokenID: String
        public var userID: UserID
        public var expiresAtMs: Int64

        public init(tokenID: String, userID: UserID, expiresAtMs: Int64) {
            self.tokenID = tokenID
            self.userID = userID
            self.expiresAtMs = expiresAtMs
        }

        enum CodingKeys: String, CodingKey {
            case tokenID = "token_id"
            case userID = "user_id"
            case expiresAtMs = "expires_at_ms"
        }
    }

    /// `api_key.revoked`.
    public struct APIKeyRevoked: Sendable, Equatable, Codable {
        public var keyID: APIKeyID

        public init(keyID: APIKeyID) {
            self.keyID = keyID
        }

        enum CodingKeys: String, CodingKey {
            case keyID = "key_id"
        }
    }
}
