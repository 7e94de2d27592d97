import Foundation
import Hummingbird
import PesaCore
import PesaEngine

struct SubscriptionView: Encodable, Sendable {
    let status: String
    let currentPeriodStart: String
    let currentPeriodEnd: String

    enum CodingKeys: String, CodingKey {
        case status
        case currentPeriodStart = "current_period_start"
        case currentPeriodEnd = "current_period_end"
    }
}

struct OrganizationJSON: ResponseEncodable, Sendable {
    let id: String
    let slug: String
    let name: String
    let plan: String
    let status: String
    let subscription: SubscriptionView
    let rateLimit: Int64?
    /// The bucket's capacity in force (the override's burst, else the plan's, else a minute's worth).
    var rateLimitBurst: Int64? = nil
    /// Null when the callback token cannot be opened (its key file is missing or damaged).
    let callbackURLBase: String?
    /// After a rotation, while the replaced token is still accepted: until when (RFC 3339); absent otherwise.
    let previousCallbackTokenValidUntil: String?
    let createdAt: String
    let updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, slug, name, plan, status, subscription
        case rateLimit = "rate_limit"
        case rateLimitBurst = "rate_limit_burst"
        case callbackURLBase = "callback_url_base"
        case previousCallbackTokenValidUntil = "previous_callback_token_valid_until"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension OrganizationJSON {
    init(_ view: OrganizationView, callbackURLBase: String?, nowMs: Int64) {
        let record = view.record
        id = record.id.rawValue
        slug = record.slug.rawValue
        name = record.name
        plan = record.plan
        status = record.status.rawValue
        subscription = SubscriptionView(
            status: record.subscriptionStatus.rawValue,
            currentPeriodStart: RFC3339.string(ms: view.currentPeriodStartMs ?? record.currentPeriodStartMs),
            currentPeriodEnd: RFC3339.string(ms: view.currentPeriodEndMs ?? record.currentPeriodEndMs))
        let limit =
            view.planDetails?.effectiveRateLimit(override: record.rateLimitOverrideLimit)
            ?? record.rateLimitOverrideLimit
        rateLimit = limit?.perMinute
        rateLimitBurst = limit?.capacity
        self.callbackURLBase = callbackURLBase
        previousCallbackTokenValidUntil = record.previousCallbackTokenValidUntilMs.flatMap {
            $0 > nowMs ? RFC3339.string(ms: $0) : nil
        }
        createdAt = RFC3339.string(ms: record.createdAtMs)
        updatedAt = RFC3339.string(ms: record.updatedAtMs)
    }
}

struct UserJSON: ResponseEncodable, Sendable {
    let id: String
    let email: String
    let role: String
    let disabled: Bool
    let createdAt: String
    let updatedAt: String

    init(_ user: UserRecord) {
        id = user.id.rawValue
        email = user.email
        role = user.role.rawValue
        disabled = user.disabled
        createdAt = RFC3339.string(ms: user.createdAtMs)
        updatedAt = RFC3339.string(ms: user.updatedAtMs)
    }

    enum CodingKeys: String, CodingKey {
        case id, email, role, disabled
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

struct APIKeyJSON: ResponseEncodable, Sendable {
    let id: String
    let name: String
    let role: String
    let environment: String
    let hint: String
    let key: String?
    let createdAt: String
    let revokedAt: String?
    /// The key's own limit, its burst resolved; absent when only its organization's applies.
    let rateLimit: RateLimitJSON?

    init(_ record: APIKeyRecord, key: String? = nil) {
        id = record.id.rawValue
        name = record.name
        role = record.role.rawValue
        environment = record.environment
        hint = record.keyHint
        self.key = key
        createdAt = RFC3339.string(ms: record.createdAtMs)
        revokedAt = record.revokedAtMs.map(RFC3339.string(ms:))
        rateLimit = record.rateLimit.map(RateLimitJSON.init)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, role, environment, hint, key
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
        case rateLimit = "rate_limit"
    }
}

/// A rate limit in an answer: `{"per_minute": N, "burst": M}`, the burst being the bucket's capacity in force.
struct RateLimitJSON: Encodable, Sendable, Equatable {
    let perMinute: Int64
    let burst: Int64

    init(_ limit: RateLimit) {
        perMinute = limit.perMinute
        burst = limit.capacity
    }

    enum CodingKeys: String, CodingKey {
        case burst
        case perMinute = "per_minute"
    }
}

/// An empty 204-style answer with a body-less status.
struct Deleted: ResponseGenerator {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .noContent)
    }
}

extension Identity {
    /// The engine's view of the caller, for permission checks and the audit log.
    func actor(requestID: String) -> Actor {
        Actor(principal: principal, id: subject.description, requestID: requestID, keyEnvironment: keyEnvironment)
    }
}
