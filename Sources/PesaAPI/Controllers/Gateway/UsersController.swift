import Hummingbird
import PesaCore
import PesaEngine

/// `/v1/orgs/{id}/users`: an organization's users (super_admin, or org_admin of that organization).
struct UsersController: Sendable {
    let gateway: Gateway
    let passwordHasher: PasswordHasher

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.createSpec, use: create)
        routes.add(Self.listSpec, use: list)
        routes.add(Self.updateSpec, use: update)
        routes.add(Self.deleteSpec, use: delete)
    }

    struct CreateBody: Codable, Sendable {
        let email: String
        let password: String
        let role: String
    }

    struct UpdateBody: Decodable, Sendable {
        let role: String?
        let password: String?
        let disabled: Bool?
    }

    static func role(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text) else {
            throw APIError.invalidField("role", "role must be one of \(Role.allCases.map(\.rawValue))")
        }
        return role
    }

    func hash(_ password: String) async throws -> String {
        guard (Limits.passwordBytesMin...Limits.passwordBytesMax).contains(password.utf8.count) else {
            throw APIError.invalidField(
                "password", "password must be \(Limits.passwordBytesMin) to \(Limits.passwordBytesMax) bytes")
        }
        return try await passwordHasher.hash(password)
    }

    /// The body holds a password, so `Idempotency-Key` compares it by a keyed hash (`keyedRequestHash`).
    @Sendable func create(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let organization = try context.parameters.requireID("id", as: OrganizationID.self)
        let identity = try context.requireIdentity()
        let body = try await request.decodeHashedJSON(
            as: CreateBody.self, context: context, hash: { gateway.keyedRequestHash($0) })
        let actor = identity.actor(requestID: context.requestID)
        let idempotent = IdempotentAnswer(
            gateway: gateway, route: Gateway.createUserRoute, action: .createUser,
            replayCurrent: { id in
                UserJSON(try await gateway.replayedUser(try UserID(parsing: id), in: organization, by: actor))
            })
        return try await idempotent.respondRecordedByCreate(
            request, context: context, organization: organization, requestHash: body.requestHash
        ) { idempotency in
            let role = try Self.role(body.value.role)
            let (user, replayed) = try await gateway.createUser(
                in: organization, email: body.value.email, passwordHash: try await hash(body.value.password),
                role: role, idempotency: idempotency, by: actor)
            return (.created, UserJSON(user), replayed)
        }
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<UserJSON> {
        let organization = try context.parameters.requireID("id", as: OrganizationID.self)
        let identity = try context.requireIdentity()
        let page = try PageRequest(request: request)
        let users = try await gateway.users(in: organization, by: identity.actor(requestID: context.requestID))
        let (shown, next) = try page.slice(users) { $0.id.rawValue }
        return ListResponse(data: shown.map(UserJSON.init), nextCursor: next)
    }

    @Sendable func update(_ request: Request, context: PesaRequestContext) async throws -> UserJSON {
        let organization = try context.parameters.requireID("id", as: OrganizationID.self)
        let user = try context.parameters.requireID("uid", as: UserID.self)
        let identity = try context.requireIdentity()
        let body = try await request.decodeJSON(as: UpdateBody.self, context: context)
        var changes = UserChanges(disabled: body.disabled)
        if let role = body.role { changes.role = try Self.role(role) }
        if let password = body.password { changes.passwordHash = try await hash(password) }
        return UserJSON(
            try await gateway.updateUser(
                user, in: organization, changes, by: identity.actor(requestID: context.requestID)))
    }

    @Sendable func delete(_ request: Request, context: PesaRequestContext) async throws -> Deleted {
        let organization = try context.parameters.requireID("id", as: OrganizationID.self)
        let user = try context.parameters.requireID("uid", as: UserID.self)
        let identity = try context.requireIdentity()
        try await gateway.deleteUser(user, in: organization, by: identity.actor(requestID: context.requestID))
        return Deleted()
    }

    static let user = JSONSchema.object([
        "id": JSONSchema.string, "email": JSONSchema.string,
        "role": JSONSchema.enumeration(Role.allCases.map(\.rawValue)),
        "disabled": JSONSchema.boolean, "created_at": JSONSchema.dateTime, "updated_at": JSONSchema.dateTime,
    ])

    static let createSpec = RouteSpec(
        .post, "/v1/orgs/{id}/users", summary: "Create a user of the organization", action: .createUser, tag: "users",
        requestBody: JSONSchema.object(
            ["email": JSONSchema.string, "password": JSONSchema.string, "role": JSONSchema.string],
            required: ["email", "password", "role"]),
        successStatus: .created, responseBody: user, errors: [.invalidField, .conflict, .forbidden, .notFound],
        organizationParameter: "id", idempotent: true)
    static let listSpec = RouteSpec(
        .get, "/v1/orgs/{id}/users", summary: "List the organization's users", action: .listUsers, tag: "users",
        query: JSONSchema.pageQuery, responseBody: JSONSchema.page(of: user), errors: [.notFound],
        organizationParameter: "id")
    static let updateSpec = RouteSpec(
        .patch, "/v1/orgs/{id}/users/{uid}", summary: "Change a user's role, password or disabled flag",
        action: .updateUser, tag: "users",
        requestBody: JSONSchema.object([
            "role": JSONSchema.string, "password": JSONSchema.string, "disabled": JSONSchema.boolean,
        ]),
        responseBody: user, errors: [.invalidField, .forbidden, .notFound], organizationParameter: "id")
    static let deleteSpec = RouteSpec(
        .delete, "/v1/orgs/{id}/users/{uid}", summary: "Delete a user", action: .deleteUser, tag: "users",
        successStatus: .noContent, responseBody: nil, errors: [.forbidden, .notFound], organizationParameter: "id")
}
