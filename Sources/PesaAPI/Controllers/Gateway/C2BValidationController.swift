import Hummingbird
import PesaCore
import PesaEngine

/// `PUT/GET /v1/c2b/validation` (org_admin): how Daraja's C2B validation requests are answered. By default
/// every payment is accepted; with `reject_unknown`, only the listed account references are.
struct C2BValidationController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.putSpec, use: put)
        routes.add(Self.getSpec, use: get)
    }

    struct Body: Decodable, Sendable {
        let rejectUnknown: Bool
        let accountReferences: [String]?

        enum CodingKeys: String, CodingKey {
            case rejectUnknown = "reject_unknown_account_references"
            case accountReferences = "account_references"
        }
    }

    struct PolicyJSON: ResponseEncodable, Sendable {
        let rejectUnknown: Bool
        let accountReferences: [String]
        let updatedAt: String?

        init(_ record: C2BValidationRecord) {
            rejectUnknown = record.rejectUnknown
            accountReferences = record.accountReferences.sorted()
            updatedAt = record.updatedAtMs == 0 ? nil : RFC3339.string(ms: record.updatedAtMs)
        }

        enum CodingKeys: String, CodingKey {
            case rejectUnknown = "reject_unknown_account_references"
            case accountReferences = "account_references"
            case updatedAt = "updated_at"
        }
    }

    @Sendable func put(_ request: Request, context: PesaRequestContext) async throws -> PolicyJSON {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let body = try await request.decodeJSON(as: Body.self, context: context)
        let record = try await gateway.setC2BValidation(
            rejectUnknown: body.rejectUnknown, accountReferences: body.accountReferences ?? [], in: organization,
            by: identity.actor(requestID: context.requestID))
        return PolicyJSON(record)
    }

    @Sendable func get(_ request: Request, context: PesaRequestContext) async throws -> PolicyJSON {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        return PolicyJSON(
            try await gateway.c2bValidation(in: organization, by: identity.actor(requestID: context.requestID)))
    }

    static let policy = JSONSchema.object([
        "reject_unknown_account_references": JSONSchema.boolean,
        "account_references": JSONSchema.array(of: JSONSchema.string),
        "updated_at": JSONSchema.nullable(JSONSchema.dateTime),
    ])

    static let putSpec = RouteSpec(
        .put, "/v1/c2b/validation",
        summary: "Set how C2B validation requests are answered (accept all, or only known account references)",
        action: .registerC2BURLs, tag: "payments",
        requestBody: JSONSchema.object(
            [
                "reject_unknown_account_references": JSONSchema.boolean,
                "account_references": JSONSchema.array(of: JSONSchema.string),
            ], required: ["reject_unknown_account_references"]),
        query: ["org": JSONSchema.string], responseBody: policy, errors: [.invalidField],
        bodyBytesMax: Limits.c2bValidationBodyBytesMax)
    static let getSpec = RouteSpec(
        .get, "/v1/c2b/validation", summary: "How C2B validation requests are answered", action: .registerC2BURLs,
        tag: "payments", query: ["org": JSONSchema.string], responseBody: policy)
}
