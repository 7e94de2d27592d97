import Foundation
import Hummingbird
import PesaAPI
import PesaCore

/// Routes that exercise the foundation the way business controllers will.
struct ProbeController {
    struct Item: Codable, Sendable {
        let phone: String
        let amount: Int
    }

    struct EchoBody: Codable, Sendable, ResponseEncodable {
        let name: String
        let amount: Int
        let items: [Item]?
    }

    struct WhoAmI: Codable, Sendable, ResponseEncodable {
        let subject: String
        let role: String
        let org: String?
        let kind: String
    }

    struct SecretError: Error, CustomStringConvertible {
        var description: String { "database password is hunter2" }
    }

    static let echoSpec = RouteSpec(
        .post, "/v1/echo", summary: "Echo", action: .createSTKPush, tag: "probe",
        requestBody: JSONSchema.object(["name": JSONSchema.string, "amount": JSONSchema.integer]),
        responseBody: ["type": "object"])
    static let whoAmISpec = RouteSpec(
        .get, "/v1/whoami", summary: "Who am I", action: .readPayment, tag: "probe", responseBody: ["type": "object"])
    static let orgSpec = RouteSpec(
        .get, "/v1/orgs/{id}", summary: "Read org", action: .readOrganization, tag: "probe",
        responseBody: ["type": "object"])
    static let listSpec = RouteSpec(
        .get, "/v1/things", summary: "List", action: .listTransactions, tag: "probe",
        query: ["limit": JSONSchema.integer, "cursor": JSONSchema.string, "from": JSONSchema.dateTime],
        responseBody: JSONSchema.page(of: JSONSchema.string))
    static let boomSpec = RouteSpec(
        .get, "/v1/boom", summary: "Fails", action: .health, tag: "probe", responseBody: nil)
    static let coreErrorSpec = RouteSpec(
        .get, "/v1/core-error", summary: "Domain error", action: .health, tag: "probe", responseBody: nil)
    static let frameworkDecodeSpec = RouteSpec(
        .post, "/v1/hb-decode", summary: "Hummingbird's decoder", action: .health, tag: "probe",
        requestBody: ["type": "object"], responseBody: nil)

    static let bigSpec = RouteSpec(
        .post, "/v1/big/{id}", summary: "Large bodies", action: .health, tag: "probe",
        requestBody: JSONSchema.object(["name": JSONSchema.string]), responseBody: nil, bodyBytesMax: 256 * 1024)

    static let failSpec = RouteSpec(
        .get, "/v1/fail/{code}", summary: "Throws the APIError named in the path", action: .health, tag: "probe",
        responseBody: nil)

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.failSpec) { _, context -> HTTPResponse.Status in
            let code = APIError.Code(rawValue: context.parameters.get("code") ?? "") ?? .internalError
            throw APIError(code, "probe", param: code == .invalidField ? "field" : nil)
        }
        routes.add(Self.bigSpec) { request, context -> HTTPResponse.Status in
            let body = try await request.decodeJSON(as: [String: String].self, context: context)
            return body["name"]?.count == 100_000 ? .ok : .badRequest
        }
        routes.add(Self.echoSpec, use: echo)
        routes.add(Self.whoAmISpec, use: whoAmI)
        routes.add(Self.orgSpec, use: readOrganization)
        routes.add(Self.listSpec, use: list)
        routes.add(Self.boomSpec) { _, _ -> HTTPResponse.Status in throw SecretError() }
        routes.add(Self.coreErrorSpec) { _, _ -> HTTPResponse.Status in
            _ = try OrganizationID(parsing: "nope", field: "org_id")
            return .ok
        }
        routes.add(Self.frameworkDecodeSpec) { request, context -> HTTPResponse.Status in
            _ = try await request.decode(as: EchoBody.self, context: context)
            return .ok
        }
    }

    @Sendable func echo(_ request: Request, context: PesaRequestContext) async throws -> EchoBody {
        try await request.decodeJSON(as: EchoBody.self, context: context)
    }

    @Sendable func whoAmI(_ request: Request, context: PesaRequestContext) async throws -> WhoAmI {
        let identity = try context.requireIdentity()
        return WhoAmI(
            subject: identity.subject.description, role: identity.role.rawValue,
            org: identity.organizationID?.rawValue, kind: identity.kind.rawValue)
    }

    @Sendable func readOrganization(_ request: Request, context: PesaRequestContext) async throws -> WhoAmI {
        let id = try context.parameters.requireID("id", as: OrganizationID.self)
        let identity = try context.requireSameOrganization(id)
        try context.require(.readOrganization, in: id)
        return WhoAmI(
            subject: identity.subject.description, role: identity.role.rawValue, org: id.rawValue,
            kind: identity.kind.rawValue)
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<String> {
        let page = try PageRequest(request: request)
        let range = try TimeRange(request: request)
        let start = page.cursor.flatMap { Int($0.position) } ?? 0
        let items = (start..<(start + page.limit)).map { "item-\($0)-\(range.fromMs ?? -1)" }
        return ListResponse(data: items, nextCursor: PageCursor(position: String(start + page.limit)))
    }
}
