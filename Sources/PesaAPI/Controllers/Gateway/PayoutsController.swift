import Hummingbird
import PesaCore
import PesaEngine

/// `POST /v1/payouts` (B2C, manager+) and `POST /v1/reversals` (org_admin): money leaving the organization,
/// both with `Idempotency-Key`, answered with the payment as `GET /v1/payments/{id}` shows it.
struct PayoutsController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.payoutSpec, use: payout)
        routes.add(Self.reversalSpec, use: reversal)
    }

    struct PayoutBody: Codable, Sendable {
        let phone: String
        let amount: Int64
        let command: String
        let remarks: String
        let occasion: String?
        let shortCode: String?

        enum CodingKeys: String, CodingKey {
            case phone, amount, command, remarks, occasion
            case shortCode = "short_code"
        }
    }

    struct ReversalBody: Codable, Sendable {
        let mpesaReceipt: String?
        let amount: Int64
        let remarks: String
        let paymentID: String?
        let shortCode: String?

        enum CodingKeys: String, CodingKey {
            case amount, remarks
            case mpesaReceipt = "mpesa_receipt"
            case paymentID = "payment_id"
            case shortCode = "short_code"
        }
    }

    @Sendable func payout(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let key = try request.idempotencyKey()
        let body = try await request.decodeHashedJSON(as: PayoutBody.self, context: context)
        let answer = try await gateway.payout(
            PayoutParameters(
                phone: body.value.phone, amount: body.value.amount, command: body.value.command,
                remarks: body.value.remarks, occasion: body.value.occasion, shortCode: body.value.shortCode),
            in: organization, idempotency: key.map { IdempotencyInput(key: $0, requestHash: body.requestHash) },
            by: identity.actor(requestID: context.requestID))
        return try PaymentJSON.answer(answer, gateway: gateway, request: request, context: context)
    }

    @Sendable func reversal(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let key = try request.idempotencyKey()
        let body = try await request.decodeHashedJSON(as: ReversalBody.self, context: context)
        let answer = try await gateway.reversal(
            ReversalParameters(
                mpesaReceipt: body.value.mpesaReceipt, amount: body.value.amount, remarks: body.value.remarks,
                paymentID: body.value.paymentID, shortCode: body.value.shortCode),
            in: organization, idempotency: key.map { IdempotencyInput(key: $0, requestHash: body.requestHash) },
            by: identity.actor(requestID: context.requestID))
        return try PaymentJSON.answer(answer, gateway: gateway, request: request, context: context)
    }

    static let moneyErrors: [APIError.Code] = [
        .invalidField, .idempotencyKeyReused, .subscriptionInactive, .credentialsMissing, .keyEnvironmentMismatch,
        .upstreamError, .upstreamUnavailable, .storageUnavailable,
    ]

    static let payoutSpec = RouteSpec(
        .post, "/v1/payouts",
        summary: "Pay a customer (B2C) from one of the organization's short codes (Idempotency-Key supported)",
        action: .createPayout, tag: "payments",
        requestBody: JSONSchema.object(
            [
                "phone": JSONSchema.string, "amount": JSONSchema.integer,
                "command": JSONSchema.enumeration(B2CCommand.allCases.map(\.rawValue)), "remarks": JSONSchema.string,
                "occasion": JSONSchema.string, "short_code": JSONSchema.string,
            ], required: ["phone", "amount", "command", "remarks"]),
        query: ["org": JSONSchema.string], successStatus: .created, responseBody: PaymentsController.payment,
        errors: moneyErrors, idempotent: true)
    static let reversalSpec = RouteSpec(
        .post, "/v1/reversals",
        summary: "Reverse a succeeded STK or C2B payment by its M-Pesa receipt or its payment_id (Idempotency-Key "
            + "supported; 409 RECEIPT_PENDING while the payment's receipt is still being looked up)",
        action: .createReversal, tag: "payments",
        requestBody: JSONSchema.object(
            [
                "mpesa_receipt": JSONSchema.string, "payment_id": JSONSchema.string, "amount": JSONSchema.integer,
                "remarks": JSONSchema.string, "short_code": JSONSchema.string,
            ],
            required: ["amount", "remarks"]),
        query: ["org": JSONSchema.string], successStatus: .created, responseBody: PaymentsController.payment,
        errors: moneyErrors + [.notFound, .conflict, .receiptPending], idempotent: true)
}
