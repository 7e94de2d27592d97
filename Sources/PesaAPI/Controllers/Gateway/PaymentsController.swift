import Hummingbird
import PesaCore
import PesaEngine

/// `/v1/payments` and `/v1/transactions`: STK push and reading payments, scoped to the caller's organization.
struct PaymentsController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.stkPushSpec, use: stkPush)
        routes.add(Self.readSpec, use: read)
        routes.add(Self.listSpec, use: list)
    }

    struct STKPushBody: Codable, Sendable {
        let phone: String
        let amount: Int64
        let accountReference: String
        let description: String
        let shortCode: String?

        enum CodingKeys: String, CodingKey {
            case phone, amount, description
            case accountReference = "account_reference"
            case shortCode = "short_code"
        }
    }

    @Sendable func stkPush(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let key = try request.idempotencyKey()
        let body = try await request.decodeHashedJSON(as: STKPushBody.self, context: context)
        let answer = try await gateway.stkPush(
            STKPushParameters(
                phone: body.value.phone, amount: body.value.amount, accountReference: body.value.accountReference,
                description: body.value.description, shortCode: body.value.shortCode),
            in: organization,
            idempotency: key.map { IdempotencyInput(key: $0, requestHash: body.requestHash) },
            by: identity.actor(requestID: context.requestID))
        return try PaymentJSON.answer(answer, gateway: gateway, request: request, context: context)
    }

    @Sendable func read(_ request: Request, context: PesaRequestContext) async throws -> PaymentJSON {
        let id = try context.parameters.requireID("id", as: PaymentID.self)
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let (payment, timeline) = try await gateway.paymentWithTimeline(
            id, in: organization, by: identity.actor(requestID: context.requestID))
        let events = timeline.map {
            PaymentEventJSON(type: $0.type, at: RFC3339.string(ms: $0.atMs), seq: $0.seq, detail: $0.detail)
        }
        return PaymentJSON(payment, reconciliation: gateway.payments.reconciliation(of: payment), events: events)
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<PaymentJSON> {
        let organization = try context.targetOrganization(request)
        try context.require(.listTransactions, in: organization)
        let page = try PageRequest(request: request)
        let filter = try await PaymentFilter(request: request, organization: organization, gateway: gateway)
        let cursor = try page.cursor.map { (cursor) throws -> PaymentID in
            guard let id = try? PaymentID(parsing: cursor.position) else {
                throw APIError.invalidField("cursor", "cursor is not one of ours")
            }
            return id
        }
        let limit = page.limit
        let engine = try await gateway.engine(organization)
        let query = filter
        let listed = try await engine.read { state -> (payments: [Payment], nextCursor: PaymentID?)? in
            // A cursor naming no payment of this organization (another's, or made up) is refused, not read
            // as "from the newest": that would show the first page again as if it were the next.
            if let cursor, state.payments.row(for: cursor) == nil { return nil }
            return state.payments.list(query, after: cursor, limit: limit)
        }
        guard let result = listed else {
            throw APIError.invalidField("cursor", "cursor names no payment of this organization")
        }
        return ListResponse(
            data: result.payments.map { PaymentJSON($0, reconciliation: gateway.payments.reconciliation(of: $0)) },
            nextCursor: result.nextCursor.map { PageCursor(position: $0.rawValue) })
    }

    static let payment = JSONSchema.object([
        "id": JSONSchema.string, "type": JSONSchema.enumeration(PaymentType.allCases.map(\.rawValue)),
        "status": JSONSchema.enumeration(PaymentStatus.allCases.map(\.rawValue)), "amount": ["type": "number"],
        "phone": JSONSchema.string, "account_reference": JSONSchema.string, "description": JSONSchema.string,
        "checkout_request_id": JSONSchema.string, "merchant_request_id": JSONSchema.string,
        "mpesa_receipt": JSONSchema.nullable(JSONSchema.string), "result_code": JSONSchema.nullable(JSONSchema.string),
        "receipt_pending": JSONSchema.boolean, "amount_reversed": ["type": "number"],
        "reconciliation": JSONSchema.object([
            "attempts": JSONSchema.integer, "next_at": JSONSchema.nullable(JSONSchema.dateTime),
            "reason": JSONSchema.string,
        ]),
        "result_desc": JSONSchema.nullable(JSONSchema.string), "created_at": JSONSchema.dateTime,
        "remarks": JSONSchema.string, "command": JSONSchema.enumeration(B2CCommand.allCases.map(\.rawValue)),
        "conversation_id": JSONSchema.string, "originator_conversation_id": JSONSchema.string,
        "original_payment_id": JSONSchema.string, "reversed_receipt": JSONSchema.string, "batch_id": JSONSchema.string,
        "updated_at": JSONSchema.dateTime, "short_code": JSONSchema.nullable(JSONSchema.string),
        "short_code_id": JSONSchema.nullable(JSONSchema.string),
        "events": JSONSchema.array(
            of: JSONSchema.object([
                "type": JSONSchema.string, "at": JSONSchema.dateTime, "seq": JSONSchema.integer,
                "detail": JSONSchema.nullable(JSONSchema.string),
            ])),
    ])

    static let stkPushSpec = RouteSpec(
        .post, "/v1/payments/stk-push", summary: "Ask a customer to pay with an STK push (Idempotency-Key supported)",
        action: .createSTKPush, tag: "payments",
        requestBody: JSONSchema.object(
            [
                "phone": JSONSchema.string, "amount": JSONSchema.integer, "account_reference": JSONSchema.string,
                "description": JSONSchema.string, "short_code": JSONSchema.string,
            ], required: ["phone", "amount", "account_reference", "description"]),
        query: ["org": JSONSchema.string], successStatus: .created, responseBody: payment,
        errors: [
            .invalidField, .idempotencyKeyReused, .subscriptionInactive, .credentialsMissing, .keyEnvironmentMismatch,
            .upstreamError, .upstreamUnavailable, .storageUnavailable,
        ], idempotent: true)
    static let readSpec = RouteSpec(
        .get, "/v1/payments/{id}", summary: "A payment with its timeline", action: .readPayment, tag: "payments",
        query: ["org": JSONSchema.string], responseBody: payment, errors: [.notFound])
    static let listSpec = RouteSpec(
        .get, "/v1/transactions",
        summary: "Payments, newest first, filtered by status, type, time, short code, phone and receipt",
        action: .listTransactions, tag: "payments",
        query: JSONSchema.pageQuery.merging(PaymentFilter.querySchema) { $1 },
        responseBody: JSONSchema.page(of: payment), errors: [.invalidField])
}
