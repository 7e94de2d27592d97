import Hummingbird
import PesaCore
import PesaEngine

/// `/v1/mpesa-credentials`: the organization's Daraja credentials. PUT stores them in the encrypted vault;
/// GET shows masked values only.
struct CredentialsController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.putSpec, use: put)
        routes.add(Self.getSpec, use: get)
    }

    struct Body: Decodable, Sendable {
        let environment: String?
        let consumerKey: String?
        let consumerSecret: String?
        let businessShortCode: String?
        let passkey: String?
        let initiatorName: String?
        let initiatorPassword: String?
        let transactionType: String?
        let tillNumber: String?
        let b2cShortCode: String?

        enum CodingKeys: String, CodingKey {
            case environment, passkey
            case consumerKey = "consumer_key"
            case consumerSecret = "consumer_secret"
            case businessShortCode = "business_short_code"
            case initiatorName = "initiator_name"
            case initiatorPassword = "initiator_password"
            case transactionType = "transaction_type"
            case tillNumber = "till_number"
            case b2cShortCode = "b2c_short_code"
        }
    }

    struct MaskedJSON: ResponseEncodable, Sendable {
        let version: Int64
        let environment: String
        let businessShortCode: String
        let fields: [String: String]
        let updatedAt: String

        init(_ view: CredentialsView) {
            version = view.version
            environment = view.environment
            businessShortCode = view.businessShortCode
            fields = view.hints
            updatedAt = RFC3339.string(ms: view.updatedAtMs)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: DynamicKey.self)
            for (name, value) in fields { try container.encode(value, forKey: DynamicKey(name)) }
            try container.encode(version, forKey: DynamicKey("version"))
            try container.encode(environment, forKey: DynamicKey("environment"))
            try container.encode(businessShortCode, forKey: DynamicKey("business_short_code"))
            try container.encode(updatedAt, forKey: DynamicKey("updated_at"))
        }
    }

    @Sendable func put(_ request: Request, context: PesaRequestContext) async throws -> MaskedJSON {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let body = try await request.decodeJSON(as: Body.self, context: context)
        var input = MpesaCredentialsInput()
        input.environment = body.environment
        input.consumerKey = body.consumerKey
        input.consumerSecret = body.consumerSecret
        input.businessShortCode = body.businessShortCode
        input.passkey = body.passkey
        input.initiatorName = body.initiatorName
        input.initiatorPassword = body.initiatorPassword
        input.transactionType = body.transactionType
        input.tillNumber = body.tillNumber
        input.b2cShortCode = body.b2cShortCode
        return MaskedJSON(
            try await gateway.putCredentials(input, in: organization, by: identity.actor(requestID: context.requestID)))
    }

    @Sendable func get(_ request: Request, context: PesaRequestContext) async throws -> MaskedJSON {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        return MaskedJSON(
            try await gateway.credentialsView(in: organization, by: identity.actor(requestID: context.requestID)))
    }

    static let fields = [
        "environment", "consumer_key", "consumer_secret", "business_short_code", "passkey", "initiator_name",
        "initiator_password", "transaction_type", "till_number", "b2c_short_code",
    ]
    static let masked = JSONSchema.object(
        Dictionary(uniqueKeysWithValues: (fields + ["updated_at"]).map { ($0, JSONSchema.string) })
            .merging(["version": JSONSchema.integer]) { $1 })

    static let putSpec = RouteSpec(
        .put, "/v1/mpesa-credentials", summary: "Store the organization's Daraja credentials (encrypted)",
        action: .updateCredentials, tag: "credentials",
        requestBody: JSONSchema.object(
            Dictionary(uniqueKeysWithValues: fields.map { ($0, JSONSchema.string) }),
            required: Array(fields.prefix(7))),
        query: ["org": JSONSchema.string], responseBody: masked, errors: [.invalidField, .conflict, .forbidden])
    static let getSpec = RouteSpec(
        .get, "/v1/mpesa-credentials", summary: "The credentials, every secret masked", action: .readCredentials,
        tag: "credentials", query: ["org": JSONSchema.string], responseBody: masked, errors: [.notFound])
}

struct DynamicKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
