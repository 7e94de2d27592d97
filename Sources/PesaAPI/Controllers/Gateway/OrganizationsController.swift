import Hummingbird
import PesaCore
import PesaEngine

/// `/v1/orgs`: organizations (super_admin creates; org_admin reads and renames its own).
struct OrganizationsController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.createSpec, use: create)
        routes.add(Self.listSpec, use: list)
        routes.add(Self.readSpec, use: read)
        routes.add(Self.updateSpec, use: update)
        routes.add(Self.rotateSpec, use: rotateCallbackToken)
    }

    struct CreateBody: Codable, Sendable {
        let name: String
        let slug: String
        let plan: String?
    }

    /// `rate_limit`: absent, unchanged; null, the override removed (the plan's limit applies again); a number
    /// or `{"per_minute", "burst"}` (`RateLimitBody`), a new override replacing any before it whole.
    struct UpdateBody: Decodable, Sendable {
        let name: String?
        let plan: String?
        let status: String?
        let subscriptionStatus: String?
        /// Why a super admin sets `subscription_status` (required with it).
        let reason: String?
        let rateLimit: RateLimit?
        let clearsRateLimit: Bool

        enum CodingKeys: String, CodingKey {
            case name, plan, status, reason
            case subscriptionStatus = "subscription_status"
            case rateLimit = "rate_limit"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            plan = try container.decodeIfPresent(String.self, forKey: .plan)
            status = try container.decodeIfPresent(String.self, forKey: .status)
            subscriptionStatus = try container.decodeIfPresent(String.self, forKey: .subscriptionStatus)
            reason = try container.decodeIfPresent(String.self, forKey: .reason)
            clearsRateLimit = try container.contains(.rateLimit) && container.decodeNil(forKey: .rateLimit)
            rateLimit =
                clearsRateLimit ? nil : try container.decodeIfPresent(RateLimitBody.self, forKey: .rateLimit)?.limit
        }
    }

    func json(_ view: OrganizationView) -> OrganizationJSON {
        OrganizationJSON(
            view,
            callbackURLBase: view.callbackToken.map {
                gateway.payments.callbackURLBase(slug: view.record.slug.rawValue, token: $0)
            },
            nowMs: gateway.wallClockMs)
    }

    /// The answer holds the callback URL's token, a secret: a first answer kept for `Idempotency-Key` is
    /// journaled without it, and a replay answers the organization as it is now.
    @Sendable func create(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let body = try await request.decodeHashedJSON(as: CreateBody.self, context: context)
        let actor = identity.actor(requestID: context.requestID)
        let idempotent = IdempotentAnswer(
            gateway: gateway, route: "POST /v1/orgs", action: .createOrganization,
            replayCurrent: { id in
                json(try await gateway.organization(try OrganizationID(parsing: id), by: actor))
            }, secretField: "callback_url_base")
        return try await idempotent.respond(
            request, context: context, organization: nil, requestHash: body.requestHash
        ) {
            let view = try await gateway.createOrganization(
                name: body.value.name, slug: body.value.slug, plan: body.value.plan ?? "free",
                by: identity.actor(requestID: context.requestID))
            return (.created, json(view), view.record.id.rawValue)
        }
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<OrganizationJSON>
    {
        let identity = try context.requireIdentity()
        let page = try PageRequest(request: request)
        let (views, more) = try await gateway.organizations(
            by: identity.actor(requestID: context.requestID), after: page.cursor?.position, limit: page.limit)
        let next = more ? views.last.map { PageCursor(position: $0.record.id.rawValue) } : nil
        return ListResponse(data: views.map(json), nextCursor: next)
    }

    @Sendable func read(_ request: Request, context: PesaRequestContext) async throws -> OrganizationJSON {
        let id = try context.parameters.requireID("id", as: OrganizationID.self)
        let identity = try context.requireIdentity()
        return json(try await gateway.organization(id, by: identity.actor(requestID: context.requestID)))
    }

    @Sendable func update(_ request: Request, context: PesaRequestContext) async throws -> OrganizationJSON {
        let id = try context.parameters.requireID("id", as: OrganizationID.self)
        let identity = try context.requireIdentity()
        let body = try await request.decodeJSON(as: UpdateBody.self, context: context)
        var changes = OrganizationChanges()
        changes.name = body.name
        changes.plan = body.plan
        if let status = body.status {
            guard let parsed = OrganizationStatus(rawValue: status) else {
                throw APIError.invalidField(
                    "status", "status must be one of \(OrganizationStatus.allCases.map(\.rawValue))")
            }
            changes.status = parsed
        }
        if let status = body.subscriptionStatus {
            guard let parsed = SubscriptionStatus(rawValue: status) else {
                throw APIError.invalidField(
                    "subscription_status",
                    "subscription_status must be one of \(SubscriptionStatus.allCases.map(\.rawValue))")
            }
            changes.subscriptionStatus = parsed
            changes.subscriptionReason = body.reason
        }
        changes.rateLimitOverride = body.rateLimit?.perMinute
        changes.rateLimitBurstOverride = body.rateLimit?.burst
        changes.clearRateLimitOverride = body.clearsRateLimit
        return json(try await gateway.updateOrganization(id, changes, by: identity.actor(requestID: context.requestID)))
    }

    /// `previous_valid_hours` is required: how long a replaced token stays accepted is a choice (0 for a
    /// leaked one; long enough for results on their way and for registered C2B URLs otherwise).
    struct RotateBody: Decodable, Sendable {
        let previousValidHours: Int64
        let force: Bool?

        enum CodingKeys: String, CodingKey {
            case previousValidHours = "previous_valid_hours"
            case force
        }
    }

    /// A new callback token (a leaked one is replaced): the organization with its new `callback_url_base`.
    /// C2B URLs registered with the old token need registering again before the old one's grace ends.
    @Sendable func rotateCallbackToken(_ request: Request, context: PesaRequestContext) async throws
        -> OrganizationJSON
    {
        let id = try context.parameters.requireID("id", as: OrganizationID.self)
        let identity = try context.requireIdentity()
        let body = try await request.decodeJSON(as: RotateBody.self, context: context)
        return json(
            try await gateway.rotateCallbackToken(
                in: id, previousValidHours: body.previousValidHours, force: body.force ?? false,
                by: identity.actor(requestID: context.requestID)))
    }

    static let organization = JSONSchema.object([
        "id": JSONSchema.string, "slug": JSONSchema.string, "name": JSONSchema.string, "plan": JSONSchema.string,
        "status": JSONSchema.string,
        "subscription": JSONSchema.object([
            "status": JSONSchema.string, "current_period_start": JSONSchema.dateTime,
            "current_period_end": JSONSchema.dateTime,
        ]),
        "rate_limit": JSONSchema.integer, "rate_limit_burst": JSONSchema.integer,
        "callback_url_base": JSONSchema.string,
        "previous_callback_token_valid_until": JSONSchema.dateTime,
        "created_at": JSONSchema.dateTime, "updated_at": JSONSchema.dateTime,
    ])

    static let createSpec = RouteSpec(
        .post, "/v1/orgs", summary: "Create an organization", action: .createOrganization, tag: "organizations",
        requestBody: JSONSchema.object(
            [
                "name": JSONSchema.string, "slug": JSONSchema.string(pattern: "^[a-z0-9-]{2,40}$"),
                "plan": JSONSchema.string,
            ], required: ["name", "slug"]),
        successStatus: .created, responseBody: organization, errors: [.invalidField, .conflict, .forbidden],
        idempotent: true)
    static let listSpec = RouteSpec(
        .get, "/v1/orgs", summary: "List organizations (super_admin: all; others: their own)",
        action: .listOrganizations, tag: "organizations", query: JSONSchema.pageQuery,
        responseBody: JSONSchema.page(of: organization))
    static let readSpec = RouteSpec(
        .get, "/v1/orgs/{id}", summary: "Read an organization", action: .readOrganization, tag: "organizations",
        responseBody: organization, errors: [.notFound], organizationParameter: "id")
    static let updateSpec = RouteSpec(
        .patch, "/v1/orgs/{id}",
        summary: "Rename; super_admin: plan, status, subscription_status, rate_limit (requests per minute, or "
            + "{per_minute, burst}, replacing the plan's; null: the plan's again)",
        action: .updateOrganization, tag: "organizations",
        requestBody: JSONSchema.object([
            "name": JSONSchema.string, "plan": JSONSchema.string, "status": JSONSchema.string,
            "subscription_status": JSONSchema.string, "reason": JSONSchema.string,
            "rate_limit": ["oneOf": [JSONSchema.integer, JSONSchema.rateLimit, ["type": "null"]]],
        ]), responseBody: organization, errors: [.notFound, .invalidField, .forbidden], organizationParameter: "id")
    static let rotateSpec = RouteSpec(
        .post, "/v1/orgs/{id}/callback-token/rotate",
        summary: "Give the organization a new callback token; the old one stays accepted for previous_valid_hours "
            + "(0 to 8784; 0 for a leaked token); register C2B URLs again before then. 409 while the token "
            + "replaced by the last rotation is still accepted, unless force is true",
        action: .rotateCallbackToken, tag: "organizations",
        requestBody: JSONSchema.object(
            ["previous_valid_hours": JSONSchema.integer, "force": JSONSchema.boolean],
            required: ["previous_valid_hours"]),
        responseBody: organization, errors: [.notFound, .invalidField, .conflict], organizationParameter: "id")
}
