import Hummingbird
import PesaCore
import PesaEngine

/// `/v1/short-codes`: the organization's short-code profiles, each a business short code (paybill, till or
/// B2C) with its own Daraja app keys. org_admin writes, manager reads; every secret is masked on read and never
/// echoed.
struct ShortCodesController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.createSpec, use: create)
        routes.add(Self.listSpec, use: list)
        routes.add(Self.getSpec, use: get)
        routes.add(Self.patchSpec, use: patch)
        routes.add(Self.deleteSpec, use: delete)
        routes.add(Self.verifySpec, use: verify)
    }

    struct Body: Codable, Sendable {
        let label: String?
        let environment: String?
        let shortCode: String?
        let kind: String?
        let consumerKey: String?
        let consumerSecret: String?
        let passkey: String?
        let tillNumber: String?
        let initiatorName: String?
        let initiatorPassword: String?
        let isDefault: Bool?

        enum CodingKeys: String, CodingKey {
            case label, environment, kind, passkey
            case shortCode = "short_code"
            case consumerKey = "consumer_key"
            case consumerSecret = "consumer_secret"
            case tillNumber = "till_number"
            case initiatorName = "initiator_name"
            case initiatorPassword = "initiator_password"
            case isDefault = "default"
        }

        var input: ShortCodeInput {
            var input = ShortCodeInput()
            input.label = label
            input.environment = environment
            input.shortCode = shortCode
            input.kind = kind
            input.consumerKey = consumerKey
            input.consumerSecret = consumerSecret
            input.passkey = passkey
            input.tillNumber = tillNumber
            input.initiatorName = initiatorName
            input.initiatorPassword = initiatorPassword
            input.isDefault = isDefault
            return input
        }
    }

    /// A profile as the API shows it: masked secrets (`****` and at most the last 4 characters), never one in clear.
    struct ShortCodeJSON: ResponseEncodable, Sendable {
        struct Verification: Encodable, Sendable {
            let ok: Bool
            let checkedAt: String
            let error: String?

            enum CodingKeys: String, CodingKey {
                case ok, error
                case checkedAt = "checked_at"
            }
        }

        let id: String
        let label: String
        let environment: String
        let shortCode: String
        let kind: String
        let tillNumber: String?
        let isDefault: Bool
        let consumerKey: String?
        let consumerSecret: String?
        let passkey: String?
        let initiatorName: String?
        let initiatorPassword: String?
        let version: Int64
        let lastVerification: Verification?
        let createdAt: String
        let updatedAt: String
        let deletedAt: String?

        init(_ record: ShortCodeRecord) {
            id = record.id.rawValue
            label = record.label
            environment = record.environment
            shortCode = record.shortCode
            kind = record.kind.rawValue
            tillNumber = record.tillNumber
            isDefault = record.isDefault
            consumerKey = record.hints["consumer_key"]
            consumerSecret = record.hints["consumer_secret"]
            passkey = record.hints["passkey"]
            initiatorName = record.hints["initiator_name"]
            initiatorPassword = record.hints["initiator_password"]
            version = record.version
            lastVerification = record.lastVerification.map {
                Verification(ok: $0.ok, checkedAt: RFC3339.string(ms: $0.checkedAtMs), error: $0.error)
            }
            createdAt = RFC3339.string(ms: record.createdAtMs)
            updatedAt = RFC3339.string(ms: record.updatedAtMs)
            deletedAt = record.deletedAtMs.map { RFC3339.string(ms: $0) }
        }

        enum CodingKeys: String, CodingKey {
            case id, label, environment, kind, passkey, version
            case shortCode = "short_code"
            case tillNumber = "till_number"
            case isDefault = "default"
            case consumerKey = "consumer_key"
            case consumerSecret = "consumer_secret"
            case initiatorName = "initiator_name"
            case initiatorPassword = "initiator_password"
            case lastVerification = "last_verification"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case deletedAt = "deleted_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(label, forKey: .label)
            try container.encode(environment, forKey: .environment)
            try container.encode(shortCode, forKey: .shortCode)
            try container.encode(kind, forKey: .kind)
            try container.encode(tillNumber, forKey: .tillNumber)
            try container.encode(isDefault, forKey: .isDefault)
            try container.encode(consumerKey, forKey: .consumerKey)
            try container.encode(consumerSecret, forKey: .consumerSecret)
            try container.encode(passkey, forKey: .passkey)
            try container.encode(initiatorName, forKey: .initiatorName)
            try container.encode(initiatorPassword, forKey: .initiatorPassword)
            try container.encode(version, forKey: .version)
            try container.encode(lastVerification, forKey: .lastVerification)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(updatedAt, forKey: .updatedAt)
            try container.encode(deletedAt, forKey: .deletedAt)
        }
    }

    struct CheckJSON: ResponseEncodable, Sendable {
        let ok: Bool
        let checkedAt: String
        let error: String?

        enum CodingKeys: String, CodingKey {
            case ok, error
            case checkedAt = "checked_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ok, forKey: .ok)
            try container.encode(checkedAt, forKey: .checkedAt)
            try container.encode(error, forKey: .error)
        }
    }

    /// With `Idempotency-Key`, a retry gets the first answer (the profile as it is now); without one, a second
    /// profile for the same number is 409 naming the first.
    @Sendable func create(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        // Keyed: the body holds secrets, and its hash is journaled with the first answer.
        let body = try await request.decodeHashedJSON(
            as: Body.self, context: context, hash: { gateway.keyedRequestHash($0) })
        let actor = identity.actor(requestID: context.requestID)
        let idempotent = IdempotentAnswer(
            gateway: gateway, route: "POST /v1/short-codes", action: .createShortCode,
            replayCurrent: { id in
                ShortCodeJSON(try await gateway.shortCode(try ShortCodeID(parsing: id), in: organization, by: actor))
            })
        return try await idempotent.respond(
            request, context: context, organization: organization, requestHash: body.requestHash
        ) {
            let record = try await gateway.createShortCode(body.value.input, in: organization, by: actor)
            return (.created, ShortCodeJSON(record), record.id.rawValue)
        }
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<ShortCodeJSON> {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let page = try PageRequest(request: request)
        let includeDeleted: Bool
        switch request.uri.queryParameters.get("include_deleted") {
        case nil, "false": includeDeleted = false
        case "true": includeDeleted = true
        default: throw APIError.invalidField("include_deleted", "include_deleted must be true or false")
        }
        let records = try await gateway.shortCodes(
            in: organization, includeDeleted: includeDeleted, by: identity.actor(requestID: context.requestID))
        let (shown, next) = try page.slice(records) { $0.id.rawValue }
        return ListResponse(data: shown.map(ShortCodeJSON.init), nextCursor: next)
    }

    @Sendable func get(_ request: Request, context: PesaRequestContext) async throws -> ShortCodeJSON {
        let id = try context.parameters.requireID("id", as: ShortCodeID.self)
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        return ShortCodeJSON(
            try await gateway.shortCode(id, in: organization, by: identity.actor(requestID: context.requestID)))
    }

    @Sendable func patch(_ request: Request, context: PesaRequestContext) async throws -> ShortCodeJSON {
        let id = try context.parameters.requireID("id", as: ShortCodeID.self)
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let body = try await request.decodeJSON(as: Body.self, context: context)
        return ShortCodeJSON(
            try await gateway.updateShortCode(
                id, body.input, in: organization, by: identity.actor(requestID: context.requestID)))
    }

    @Sendable func delete(_ request: Request, context: PesaRequestContext) async throws -> Deleted {
        let id = try context.parameters.requireID("id", as: ShortCodeID.self)
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        try await gateway.deleteShortCode(id, in: organization, by: identity.actor(requestID: context.requestID))
        return Deleted()
    }

    @Sendable func verify(_ request: Request, context: PesaRequestContext) async throws -> CheckJSON {
        let id = try context.parameters.requireID("id", as: ShortCodeID.self)
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let check = try await gateway.verifyShortCode(
            id, in: organization, by: identity.actor(requestID: context.requestID))
        return CheckJSON(ok: check.ok, checkedAt: RFC3339.string(ms: check.checkedAtMs), error: check.error)
    }

    static let inputFields = [
        "label", "environment", "short_code", "kind", "consumer_key", "consumer_secret", "passkey", "till_number",
        "initiator_name", "initiator_password",
    ]
    static let input = JSONSchema.object(
        Dictionary(uniqueKeysWithValues: inputFields.map { ($0, JSONSchema.string) })
            .merging(["default": JSONSchema.boolean]) { $1 })
    static let check = JSONSchema.object([
        "ok": JSONSchema.boolean, "checked_at": JSONSchema.dateTime, "error": JSONSchema.nullable(JSONSchema.string),
    ])
    static let profile = JSONSchema.object(
        Dictionary(
            uniqueKeysWithValues: ["id", "label", "environment", "short_code", "kind"].map { ($0, JSONSchema.string) }
                + ["till_number", "consumer_key", "consumer_secret", "passkey", "initiator_name", "initiator_password"]
                .map { ($0, JSONSchema.nullable(JSONSchema.string)) })
            .merging([
                "default": JSONSchema.boolean, "version": JSONSchema.integer,
                "last_verification": JSONSchema.nullable(check), "created_at": JSONSchema.dateTime,
                "updated_at": JSONSchema.dateTime, "deleted_at": JSONSchema.nullable(JSONSchema.dateTime),
            ]) { $1 })
    static let orgQuery: [String: JSONValue] = ["org": JSONSchema.string]

    static let createSpec = RouteSpec(
        .post, "/v1/short-codes",
        summary: "Add a short-code profile (paybill, till or b2c) with its own Daraja keys; the first of a kind is "
            + "its default", action: .createShortCode, tag: "short-codes",
        requestBody: JSONSchema.object(
            Dictionary(uniqueKeysWithValues: inputFields.map { ($0, JSONSchema.string) })
                .merging(["default": JSONSchema.boolean]) { $1 },
            required: ["environment", "short_code", "kind", "consumer_key", "consumer_secret"]),
        query: orgQuery, successStatus: .created, responseBody: profile, errors: [.invalidField, .conflict])
    static let listSpec = RouteSpec(
        .get, "/v1/short-codes", summary: "The organization's short-code profiles, secrets masked",
        action: .listShortCodes, tag: "short-codes",
        query: orgQuery.merging(JSONSchema.pageQuery) { $1 }.merging(["include_deleted": JSONSchema.boolean]) { $1 },
        responseBody: JSONSchema.page(of: profile))
    static let getSpec = RouteSpec(
        .get, "/v1/short-codes/{id}", summary: "One short-code profile (deleted ones too), secrets masked",
        action: .readShortCode, tag: "short-codes", query: orgQuery, responseBody: profile, errors: [.notFound])
    static let patchSpec = RouteSpec(
        .patch, "/v1/short-codes/{id}",
        summary: "Change the fields named (a new secret makes a new version); environment, short_code and kind "
            + "never change", action: .updateShortCode, tag: "short-codes", requestBody: input, query: orgQuery,
        responseBody: profile, errors: [.invalidField, .notFound, .conflict])
    static let deleteSpec = RouteSpec(
        .delete, "/v1/short-codes/{id}",
        summary: "Delete a profile with no payment pending on it (409 naming how many); its payments stay readable",
        action: .deleteShortCode, tag: "short-codes", query: orgQuery, successStatus: .noContent, responseBody: nil,
        errors: [.notFound, .conflict])
    static let verifySpec = RouteSpec(
        .post, "/v1/short-codes/{id}/verify",
        summary: "Prove the profile's keys by fetching a Daraja OAuth token (moves no money); shown as "
            + "last_verification", action: .verifyShortCode, tag: "short-codes", query: orgQuery,
        responseBody: check, errors: [.notFound, .conflict])
}
