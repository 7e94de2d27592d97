extension TenantEvent {
    /// One account of a balance answer, amounts in minor units.
    public struct BalanceAccount: Sendable, Equatable, Codable {
        public var account: String
        public var currency: String
        public var current: Amount
        public var available: Amount
        public var reserved: Amount
        public var uncleared: Amount

        public init(account: String, currency: String, current: Amount, available: Amount, reserved: Amount,
                    uncleared: Amount) {
            self.account = account
            self.currency = currency
            self.current = current
            self.available = available
            self.reserved = reserved
            self.uncleared = uncleared
        }
    }

    /// `balance.updated`: the accounts of an account-balance result, as of `as_of_ms`.
    public struct BalanceUpdated: Sendable, Equatable, Codable {
        public var accounts: [BalanceAccount]
        public var asOfMs: Int64

        /// The profile whose accounts these are (absent in events written before profiles).
        public var shortCodeID: ShortCodeID?

        public init(accounts: [BalanceAccount], asOfMs: Int64) {
            self.accounts = accounts
            self.asOfMs = asOfMs
        }

        enum CodingKeys: String, CodingKey {
            case shortCodeID = "short_code_id"
            case accounts
            case asOfMs = "as_of_ms"
        }
    }

    /// The `Idempotency-Key` a creating event was made under (`user.created`, `api_key.created`): in the event
    /// itself, so that recovery after a torn tail never keeps what was created without the key (or the key without
    /// it). Its answer is replayed from the created object (status 201, no stored body).
    public struct IdempotencyStamp: Sendable, Equatable, Codable {
        public var key: String
        public var requestHash: String
        public var scope: String

        public init(key: String, requestHash: String, scope: String) {
            self.key = key
            self.requestHash = requestHash
            self.scope = scope
        }

        enum CodingKeys: String, CodingKey {
            case key, scope
            case requestHash = "request_hash"
        }
    }

    /// `idempotency.recorded`: the first answer to a creating POST other than a payment (payments carry
    /// their key in their request event), replayed for `Limits.idempotencyWindowMs`.
    public struct IdempotencyRecorded: Sendable, Equatable, Codable {
        public var key: String
        public var requestHash: String
        /// `POST /v1/orgs/{id}/users`, ...: the same key on another route is another key.
        public var scope: String
        public var resourceID: String?
        public var statusCode: Int64
        public var responseBody: String

        public init(key: String, requestHash: String, scope: String, resourceID: String?, statusCode: Int64,
                    responseBody: String) {
            self.key = key
            self.requestHash = requestHash
            self.scope = scope
            self.resourceID = resourceID
            self.statusCode = statusCode
            self.responseBody = responseBody
        }

        enum CodingKeys: String, CodingKey {
            case key, scope
            case requestHash = "request_hash"
            case resourceID = "resource_id"
            case statusCode = "status_code"
            case responseBody = "response_body"
        }
    }
}
