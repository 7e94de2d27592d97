import Foundation
import Hummingbird
import PesaCore
import PesaEngine

/// `POST /v1/c2b/simulate` (manager; sandbox credentials only): Daraja's sandbox makes a customer pay the
/// organization's shortcode. The organization's C2B URLs are registered first; the payment then arrives as the
/// sandbox's C2B confirmation and is listed by `GET /v1/transactions?type=c2b` like any other.
struct C2BSimulateController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.simulateSpec, use: simulate)
    }

    struct Body: Decodable, Sendable {
        let amount: Int64
        let phone: String
        let accountReference: String
        let shortCode: String?

        enum CodingKeys: String, CodingKey {
            case amount, phone
            case accountReference = "account_reference"
            case shortCode = "short_code"
        }
    }

    struct SimulationJSON: Encodable, Sendable {
        let status = "accepted"
        let shortCode: String
        let amount: Int64
        let phone: String
        let accountReference: String
        let originatorConversationID: String
        let responseDescription: String
        let confirmationURL: String

        init(_ simulation: C2BSimulation) {
            shortCode = simulation.shortCode
            amount = simulation.amount
            phone = simulation.phone
            accountReference = simulation.accountReference
            originatorConversationID = simulation.originatorConversationID
            responseDescription = simulation.responseDescription
            confirmationURL = simulation.registration.confirmationURL.replacingOccurrences(
                of: #"/callbacks/([^/]+)/[^/]+/"#, with: "/callbacks/$1/…/", options: .regularExpression)
        }

        enum CodingKeys: String, CodingKey {
            case status, amount, phone
            case shortCode = "short_code"
            case accountReference = "account_reference"
            case originatorConversationID = "originator_conversation_id"
            case responseDescription = "response_description"
            case confirmationURL = "confirmation_url"
        }
    }

    @Sendable func simulate(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let body = try await request.decodeJSON(as: Body.self, context: context)
        let simulation = try await gateway.simulateC2B(
            amount: body.amount, phone: body.phone, accountReference: body.accountReference, shortCode: body.shortCode,
            in: organization, by: identity.actor(requestID: context.requestID))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = try encoder.encode(SimulationJSON(simulation))
        return Response.json(Array(bytes), status: .accepted)
    }

    static let simulateSpec = RouteSpec(
        .post, "/v1/c2b/simulate",
        summary:
            "Sandbox only: Daraja's sandbox makes a customer pay this organization's shortcode (C2B URLs are "
            + "registered first); the payment arrives by C2B confirmation and is listed by /v1/transactions?type=c2b",
        action: .simulateC2B, tag: "payments",
        requestBody: JSONSchema.object(
            [
                "amount": JSONSchema.integer, "phone": JSONSchema.string, "account_reference": JSONSchema.string,
                "short_code": JSONSchema.string,
            ], required: ["amount", "phone", "account_reference"]),
        query: ["org": JSONSchema.string], successStatus: .accepted,
        responseBody: JSONSchema.object([
            "status": JSONSchema.enumeration(["accepted"]), "short_code": JSONSchema.string,
            "amount": JSONSchema.integer, "phone": JSONSchema.string, "account_reference": JSONSchema.string,
            "originator_conversation_id": JSONSchema.string, "response_description": JSONSchema.string,
            "confirmation_url": JSONSchema.string,
        ]),
        errors: [.invalidField, .sandboxOnly, .credentialsMissing, .upstreamError, .upstreamUnavailable,
                 .storageUnavailable])
}
