import Hummingbird
import PesaCore
import PesaEngine

/// `/v1/api-keys`: an organization's API keys (org_admin). The key is shown once, at creation.
struct APIKeysController: Sendable {
    let gateway: Gateway
    /// A retry's first answer while this process runs (the key is never written to disk).
    let firstAnswers: SecretAnswers

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.createSpec, use: create)
        routes.add(Self.listSpec, use: list)
        routes.add(Self.revokeSpec, use: revoke)
    }

    /// `rate_limit` (optional): the key's own limit besides its organization's, at most the organization's.
    struct CreateBody: Codable, Sendable {
        let name: String
        let role: String?
        let environment: String?
        let rateLimit: RateLimitBody?

        enum CodingKeys: String, CodingKey {
            case name, role, environment
            case rateLimit = "rate_limit"
        }
    }

    /// With `Idempotency-Key`, a retry never makes a second key: the same caller's same key and body get the
    /// first answer while this process runs (`SecretAnswers`), and after a restart 409 naming the key made,
    /// whose secret was shown once and is kept nowhere (`Gateway.createAPIKey`).
    @Sendable func create(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let body = try await request.decodeHashedJSON(as: CreateBody.self, context: context)
        let idempotency = try request.idempotencyKey().map { IdempotencyInput(key: $0, requestHash: body.requestHash) }
        let actor = identity.actor(requestID: context.requestID)
        let answerKey = idempotency.map {
            SecretAnswers.key(organization.rawValue, actor.id, $0.key, $0.requestHash)
        }
        if let answerKey {
            try actor.authorize(.createAPIKey, in: organization)
            if let first = firstAnswers.answer(for: answerKey, nowMs: gateway.wallClockMs) {
                // A key revoked since is not handed out again as if it worked.
                let keys = try await gateway.apiKeys(in: organization, by: actor)
                if keys.contains(where: { $0.id.rawValue == first.resourceID && $0.isRevoked }) {
                    throw APIError.conflict(
                        "\(first.resourceID) was created for this Idempotency-Key and has been revoked since; "
                            + "create another with a new Idempotency-Key", param: "Idempotency-Key")
                }
                var response = Response.json(first.bytes, status: .created)
                response.headers[.idempotencyHit] = "true"
                return response
            }
        }
        let role = try UsersController.role(body.value.role ?? "user")
        let environment = try await keyEnvironment(body.value.environment, organization: organization)
        let key = APIKey.generate(environment: environment)
        let record = try await gateway.createAPIKey(
            in: organization, name: body.value.name, role: role, environment: environment.rawValue,
            keyHash: key.hash, keyHint: key.hint, rateLimit: body.value.rateLimit?.limit, idempotency: idempotency,
            by: actor)
        let bytes = try IdempotentAnswer.bytes(of: APIKeyJSON(record, key: key.secret), context: context)
        if let answerKey {
            firstAnswers.keep(
                SecretAnswers.Answer(bytes: bytes, resourceID: record.id.rawValue), for: answerKey,
                nowMs: gateway.wallClockMs)
        }
        return Response.json(bytes, status: .created)
    }

    /// The environment named, else the one of the organization's default collecting short code (sandbox when
    /// none).
    func keyEnvironment(_ text: String?, organization: OrganizationID) async throws -> APIKey.Environment {
        if let text {
            guard let environment = APIKey.Environment(rawValue: text) else {
                throw APIError.invalidField("environment", "environment must be \"sandbox\" or \"production\"")
            }
            return environment
        }
        let current = try? await gateway.engine(organization).read { state in
            state.defaultShortCode(for: .stkPush)?.environment
        }
        return current.flatMap { $0 }.flatMap(APIKey.Environment.init(rawValue:)) ?? .sandbox
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<APIKeyJSON> {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let page = try PageRequest(request: request)
        let keys = try await gateway.apiKeys(in: organization, by: identity.actor(requestID: context.requestID))
        let (shown, next) = try page.slice(keys) { $0.id.rawValue }
        return ListResponse(data: shown.map { APIKeyJSON($0) }, nextCursor: next)
    }

    @Sendable func revoke(_ request: Request, context: PesaRequestContext) async throws -> Deleted {
        let id = try context.parameters.requireID("id", as: APIKeyID.self)
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        try await gateway.revokeAPIKey(id, in: organization, by: identity.actor(requestID: context.requestID))
        return Deleted()
    }

    static let key = JSONSchema.object([
        "id": JSONSchema.string, "name": JSONSchema.string, "role": JSONSchema.string, "environment": JSONSchema.string,
        "hint": JSONSchema.string, "key": JSONSchema.string, "created_at": JSONSchema.dateTime,
        "revoked_at": JSONSchema.nullable(JSONSchema.dateTime), "rate_limit": JSONSchema.nullable(JSONSchema.rateLimit),
    ])
    static let orgQuery: [String: JSONValue] = ["org": JSONSchema.string]

    static let createSpec = RouteSpec(
        .post, "/v1/api-keys",
        summary: "Create an API key (the key is in this answer only). With Idempotency-Key a retry makes no second "
            + "key: it gets the first answer while the server runs, after a restart 409 CONFLICT naming the key. "
            + "rate_limit: the key's own limit besides its organization's, at most the organization's",
        action: .createAPIKey, tag: "api-keys",
        requestBody: JSONSchema.object(
            [
                "name": JSONSchema.string, "role": JSONSchema.string, "environment": JSONSchema.string,
                "rate_limit": JSONSchema.rateLimit,
            ], required: ["name"]),
        query: orgQuery, successStatus: .created, responseBody: key, errors: [.invalidField, .forbidden, .conflict],
        idempotent: true)
    static let listSpec = RouteSpec(
        .get, "/v1/api-keys", summary: "List API keys (hints only)", action: .listAPIKeys, tag: "api-keys",
        query: orgQuery.merging(JSONSchema.pageQuery) { $1 }, responseBody: JSONSchema.page(of: key))
    static let revokeSpec = RouteSpec(
        .delete, "/v1/api-keys/{id}", summary: "Revoke an API key", action: .revokeAPIKey, tag: "api-keys",
        query: orgQuery, successStatus: .noContent, responseBody: nil, errors: [.notFound])
}

extension PesaRequestContext {
    /// The organization a request is about: the caller's own; a super_admin names one with `?org=`.
    func targetOrganization(_ request: Request) throws -> OrganizationID {
        let identity = try requireIdentity()
        if let own = identity.organizationID {
            // `?org=` naming another organization is refused as that organization's objects are (404), never
            // silently read as the caller's own; naming one's own is allowed.
            if let text = request.uri.queryParameters.get("org"), text != own.rawValue { throw APIError.notFound() }
            return own
        }
        guard let text = request.uri.queryParameters.get("org") else {
            throw APIError.invalidField("org", "a super_admin names the organization with ?org=org_…")
        }
        guard let id = try? OrganizationID(parsing: text, field: "org") else { throw APIError.notFound() }
        return id
    }
}
