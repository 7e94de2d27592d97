import Foundation
import Hummingbird
import PesaCore
import PesaEngine

/// Queries Daraja answers by callback (`POST /v1/balance-checks`, `POST /v1/transaction-status`, answered
/// 202 with the query to read back; `Idempotency-Key` replays the first answer), the balances they leave
/// (`GET /v1/balance`), and `POST /v1/c2b/register-urls`.
struct QueriesController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.balanceCheckSpec, use: balanceCheck)
        routes.add(Self.readBalanceCheckSpec) { request, context in try await read(.balance, request, context) }
        routes.add(Self.balanceSpec, use: balance)
        routes.add(Self.statusSpec, use: transactionStatus)
        routes.add(Self.readStatusSpec) { request, context in try await read(.transactionStatus, request, context) }
        routes.add(Self.registerSpec, use: registerC2BURLs)
    }

    struct StatusBody: Codable, Sendable {
        let mpesaReceipt: String?
        let paymentID: String?
        let shortCode: String?

        enum CodingKeys: String, CodingKey {
            case mpesaReceipt = "mpesa_receipt"
            case paymentID = "payment_id"
            case shortCode = "short_code"
        }
    }

    struct RegisterBody: Decodable, Sendable {
        let responseType: String?
        let shortCode: String?

        enum CodingKeys: String, CodingKey {
            case responseType = "response_type"
            case shortCode = "short_code"
        }
    }

    /// `POST /v1/balance-checks` may have no body at all; with one, it may name the short code.
    struct BalanceCheckBody: Decodable, Sendable {
        let shortCode: String?

        enum CodingKeys: String, CodingKey { case shortCode = "short_code" }
    }

    struct RegistrationJSON: ResponseEncodable, Sendable {
        let shortCode: String
        let responseType: String
        let confirmationURL: String
        let validationURL: String
        let responseDescription: String

        enum CodingKeys: String, CodingKey {
            case shortCode = "short_code"
            case responseType = "response_type"
            case confirmationURL = "confirmation_url"
            case validationURL = "validation_url"
            case responseDescription = "response_description"
        }
    }

    @Sendable func balanceCheck(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let bytes = try await request.collectBody(context: context)
        let idempotent = IdempotentAnswer(
            gateway: gateway, route: "POST /v1/balance-checks", action: .createBalanceCheck)
        let hash = IdempotentAnswer.hash(bytes.readableBytesView)
        return try await idempotent.respond(request, context: context, organization: organization, requestHash: hash) {
            let actor = identity.actor(requestID: context.requestID)
            let data = Data(bytes.readableBytesView)
            let body = data.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) })
                ? try JSONBody.decode(BalanceCheckBody.self, from: data) : nil
            let query = try await gateway.balanceCheck(shortCode: body?.shortCode, in: organization, by: actor)
            return (.accepted, QueryJSON(query), query.id.rawValue)
        }
    }

    @Sendable func transactionStatus(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let body = try await request.decodeHashedJSON(as: StatusBody.self, context: context)
        let idempotent = IdempotentAnswer(
            gateway: gateway, route: "POST /v1/transaction-status", action: .createTransactionStatusQuery)
        return try await idempotent.respond(
            request, context: context, organization: organization, requestHash: body.requestHash
        ) {
            let query = try await gateway.transactionStatus(
                TransactionStatusParameters(
                    mpesaReceipt: body.value.mpesaReceipt, paymentID: body.value.paymentID,
                    shortCode: body.value.shortCode),
                in: organization, by: identity.actor(requestID: context.requestID))
            return (.accepted, QueryJSON(query), query.id.rawValue)
        }
    }

    func read(_ kind: QueryKind, _ request: Request, _ context: PesaRequestContext) async throws -> QueryJSON {
        let id = try context.parameters.requireID("id", as: QueryID.self)
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        return QueryJSON(
            try await gateway.query(id, kind: kind, in: organization, by: identity.actor(requestID: context.requestID)))
    }

    @Sendable func balance(_ request: Request, context: PesaRequestContext) async throws -> BalanceJSON {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let view = try await gateway.balances(
            shortCode: request.uri.queryParameters.get("short_code").map { String($0) }, in: organization,
            by: identity.actor(requestID: context.requestID))
        return BalanceJSON(view)
    }

    @Sendable func registerC2BURLs(_ request: Request, context: PesaRequestContext) async throws -> RegistrationJSON {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let body = try await request.decodeOptionalJSON(as: RegisterBody.self, context: context)
        let registration = try await gateway.registerC2BURLs(
            responseType: body?.responseType, shortCode: body?.shortCode, in: organization,
            by: identity.actor(requestID: context.requestID))
        return RegistrationJSON(
            shortCode: registration.shortCode, responseType: registration.responseType,
            confirmationURL: registration.confirmationURL, validationURL: registration.validationURL,
            responseDescription: registration.responseDescription)
    }

    static let query = JSONSchema.object([
        "id": JSONSchema.string, "kind": JSONSchema.enumeration(QueryKind.allCases.map(\.rawValue)),
        "status": JSONSchema.enumeration(QueryStatus.allCases.map(\.rawValue)),
        "payment_id": JSONSchema.string, "mpesa_receipt": JSONSchema.string, "conversation_id": JSONSchema.string,
        "result_code": JSONSchema.string, "result_desc": JSONSchema.string, "short_code": JSONSchema.string,
        "short_code_id": JSONSchema.string, "result": ["type": "object", "additionalProperties": JSONSchema.string],
        "created_at": JSONSchema.dateTime,
        "updated_at": JSONSchema.dateTime,
    ])
    static let orgQuery: [String: JSONValue] = ["org": JSONSchema.string]
    static let upstreamErrors: [APIError.Code] = [
        .credentialsMissing, .keyEnvironmentMismatch, .upstreamError, .upstreamUnavailable, .storageUnavailable,
    ]

    static let balanceCheckSpec = RouteSpec(
        .post, "/v1/balance-checks",
        summary: "Ask Daraja for a short code's balances, the default B2C one unless short_code names another "
            + "(answered by callback; Idempotency-Key supported)",
        action: .createBalanceCheck, tag: "balances", requestBody: JSONSchema.object(["short_code": JSONSchema.string]),
        query: orgQuery, successStatus: .accepted, responseBody: query,
        errors: upstreamErrors, idempotent: true)
    static let readBalanceCheckSpec = RouteSpec(
        .get, "/v1/balance-checks/{id}", summary: "A balance check and its result", action: .readBalance,
        tag: "balances", query: orgQuery, responseBody: query, errors: [.notFound])
    static let balanceSpec = RouteSpec(
        .get, "/v1/balance", summary: "The last known balance of each account of each short code, with as_of",
        action: .readBalance, tag: "balances", query: orgQuery.merging(["short_code": JSONSchema.string]) { $1 },
        responseBody: JSONSchema.object([
            "data": JSONSchema.array(
                of: JSONSchema.object([
                    "account": JSONSchema.string, "currency": JSONSchema.string, "current": JSONSchema.string,
                    "available": JSONSchema.string, "reserved": JSONSchema.string, "uncleared": JSONSchema.string,
                    "as_of": JSONSchema.dateTime, "short_code": JSONSchema.string, "short_code_id": JSONSchema.string,
                ])),
            "as_of": JSONSchema.nullable(JSONSchema.dateTime), "latest_check": query,
        ]))
    static let statusSpec = RouteSpec(
        .post, "/v1/transaction-status",
        summary:
            "Ask Daraja for a transaction's status, by M-Pesa receipt or payment id (answered by callback; "
            + "Idempotency-Key supported)",
        action: .createTransactionStatusQuery, tag: "balances",
        requestBody: JSONSchema.object([
            "mpesa_receipt": JSONSchema.string, "payment_id": JSONSchema.string, "short_code": JSONSchema.string,
        ]),
        query: orgQuery, successStatus: .accepted, responseBody: query,
        errors: [.invalidField, .notFound, .conflict] + upstreamErrors, idempotent: true)
    static let readStatusSpec = RouteSpec(
        .get, "/v1/transaction-status/{id}", summary: "A transaction-status query and its result",
        action: .createTransactionStatusQuery, tag: "balances", query: orgQuery, responseBody: query,
        errors: [.notFound])
    static let registerSpec = RouteSpec(
        .post, "/v1/c2b/register-urls",
        summary: "Register this organization's C2B confirmation and validation URLs with Daraja",
        action: .registerC2BURLs, tag: "payments",
        requestBody: JSONSchema.object([
            "response_type": JSONSchema.enumeration(["completed", "cancelled"]), "short_code": JSONSchema.string,
        ]),
        query: orgQuery,
        responseBody: JSONSchema.object([
            "short_code": JSONSchema.string, "response_type": JSONSchema.string, "confirmation_url": JSONSchema.string,
            "validation_url": JSONSchema.string, "response_description": JSONSchema.string,
        ]), errors: [.invalidField] + upstreamErrors)
}
