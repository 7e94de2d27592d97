import Foundation
import Hummingbird
import PesaCore
import PesaEngine

/// A payment as the API shows it (every type; fields that do not apply are omitted).
struct PaymentJSON: ResponseEncodable, Sendable {
    let id: String
    let type: String
    let status: String
    let amount: ShillingsJSON
    let phone: String
    let accountReference: String?
    let description: String?
    /// B2C and reversal `Remarks`.
    let remarks: String?
    let command: String?
    let checkoutRequestID: String?
    let merchantRequestID: String?
    let conversationID: String?
    let originatorConversationID: String?
    let originalPaymentID: String?
    let reversedReceipt: String?
    let batchID: String?
    /// The short code the payment went through, and its profile (`null` only for a payment made before its
    /// organization had credentials).
    let shortCode: NullableJSON<String>
    let shortCodeID: NullableJSON<String>
    /// Named by the contract: always there, `null` until known.
    let mpesaReceipt: NullableJSON<String>
    /// STK pushes: true while a success settled by STK query waits for its receipt.
    let receiptPending: Bool?
    /// A reversed payment: what its reversals gave back (less than `amount` for a partial reversal); a
    /// succeeded reversal: its amount.
    let amountReversed: ShillingsJSON?
    let resultCode: String?
    let resultDesc: String?
    let reconciliation: ReconciliationJSON?
    let createdAt: String
    let updatedAt: String
    let events: [PaymentEventJSON]?

    enum CodingKeys: String, CodingKey {
        case id, type, status, amount, phone, description, remarks, command, events, reconciliation
        case receiptPending = "receipt_pending"
        case amountReversed = "amount_reversed"
        case conversationID = "conversation_id"
        case originatorConversationID = "originator_conversation_id"
        case originalPaymentID = "original_payment_id"
        case reversedReceipt = "reversed_receipt"
        case batchID = "batch_id"
        case shortCode = "short_code"
        case shortCodeID = "short_code_id"
        case accountReference = "account_reference"
        case checkoutRequestID = "checkout_request_id"
        case merchantRequestID = "merchant_request_id"
        case mpesaReceipt = "mpesa_receipt"
        case resultCode = "result_code"
        case resultDesc = "result_desc"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension PaymentJSON {
    init(_ payment: Payment, reconciliation: ReconciliationView?, events: [PaymentEventJSON]? = nil) {
        id = payment.id.rawValue
        type = payment.type.rawValue
        status = payment.status.rawValue
        amount = ShillingsJSON(payment.amount)
        phone = payment.phone
        accountReference = payment.accountReference
        let isInitiated = payment.type == .b2c || payment.type == .reversal
        description = isInitiated ? nil : payment.description
        remarks = isInitiated ? payment.description : nil
        command = payment.command?.rawValue
        checkoutRequestID = payment.checkoutRequestID
        merchantRequestID = payment.merchantRequestID
        conversationID = payment.conversationID
        originatorConversationID = payment.originatorConversationID
        originalPaymentID = payment.originalPaymentID
        reversedReceipt = payment.reversedReceipt
        batchID = payment.batchID
        shortCode = NullableJSON(payment.shortCode)
        shortCodeID = NullableJSON(payment.shortCodeID?.rawValue)
        mpesaReceipt = NullableJSON(payment.mpesaReceipt)
        receiptPending = payment.type == .stkPush ? payment.receiptPending : nil
        amountReversed = payment.amountReversed.map(ShillingsJSON.init)
        self.reconciliation = reconciliation.map(ReconciliationJSON.init)
        resultCode = payment.resultCode?.rawValue
        resultDesc = payment.resultDesc
        createdAt = RFC3339.string(ms: payment.createdAtMs)
        updatedAt = RFC3339.string(ms: payment.updatedAtMs)
        self.events = events
    }
}

/// A payment's `reconciliation`: `{attempts, next_at, reason}` (`ReconciliationView`).
struct ReconciliationJSON: Encodable, Sendable {
    let attempts: Int
    let nextAt: NullableJSON<String>
    let reason: String

    init(_ view: ReconciliationView) {
        attempts = view.attempts
        nextAt = NullableJSON(view.nextAtMs.map { RFC3339.string(ms: $0) })
        reason = view.reason
    }

    enum CodingKeys: String, CodingKey {
        case attempts, reason
        case nextAt = "next_at"
    }
}

/// An optional value written as JSON `null` when absent, for fields the contract shows either way.
struct NullableJSON<Value: Encodable & Sendable>: Encodable, Sendable {
    let value: Value?

    init(_ value: Value?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

struct PaymentEventJSON: Encodable, Sendable {
    let type: String
    let at: String
    let seq: UInt64
    let detail: String?
}

extension PaymentJSON {
    /// A creating request's answer: 201 with the new payment. The same key and body again get the first
    /// answer's status (201) with `Idempotency-Hit: true` and the payment as it is now, so a client that
    /// retried after a lost answer also learns how it ended (a payment's answer is not kept as bytes).
    static func answer(
        _ answer: PaymentAnswer, gateway: Gateway, request: Request, context: PesaRequestContext
    ) throws -> Response {
        let json = PaymentJSON(answer.payment, reconciliation: gateway.payments.reconciliation(of: answer.payment))
        var response = try json.response(from: request, context: context)
        response.status = .created
        if answer.isReplay { response.headers[.idempotencyHit] = "true" }
        return response
    }
}

/// A balance or transaction-status query, with Daraja's result once it came.
struct QueryJSON: ResponseEncodable, Sendable {
    let id: String
    let kind: String
    let status: String
    let paymentID: String?
    let mpesaReceipt: String?
    let conversationID: String
    let resultCode: String?
    let resultDesc: String?
    /// The short code it was asked with, and its profile.
    let shortCode: String?
    let shortCodeID: String?
    /// Daraja's `ResultParameters`, key → text (e.g. `TransactionStatus`, `ReceiptNo`, `AccountBalance`).
    let result: [String: String]?
    let createdAt: String
    let updatedAt: String

    init(_ query: QueryRecord) {
        id = query.id.rawValue
        kind = query.kind.rawValue
        status = query.status.rawValue
        paymentID = query.paymentID?.rawValue
        mpesaReceipt = query.mpesaReceipt
        conversationID = query.conversationID
        resultCode = query.resultCode?.rawValue
        resultDesc = query.resultDesc
        shortCode = query.shortCode
        shortCodeID = query.shortCodeID?.rawValue
        result = query.status == .pending ? nil : query.parameters
        createdAt = RFC3339.string(ms: query.createdAtMs)
        updatedAt = RFC3339.string(ms: query.updatedAtMs)
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, status, result
        case paymentID = "payment_id"
        case mpesaReceipt = "mpesa_receipt"
        case conversationID = "conversation_id"
        case resultCode = "result_code"
        case resultDesc = "result_desc"
        case shortCode = "short_code"
        case shortCodeID = "short_code_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// GET /v1/balance: the last known balance of each account. Amounts are decimal strings of KES
/// (`"46713.00"`): balances carry cents, and money is never a JSON float.
struct BalanceJSON: ResponseEncodable, Sendable {
    struct Account: Encodable, Sendable {
        let account: String
        let currency: String
        let current: String
        let available: String
        let reserved: String
        let uncleared: String
        let asOf: String
        let shortCode: String?
        let shortCodeID: String?

        enum CodingKeys: String, CodingKey {
            case account, currency, current, available, reserved, uncleared
            case asOf = "as_of"
            case shortCode = "short_code"
            case shortCodeID = "short_code_id"
        }
    }

    let data: [Account]
    let asOf: String?
    let latestCheck: QueryJSON?

    init(_ view: BalanceView) {
        data = view.accounts.map {
            Account(
                account: $0.account, currency: $0.currency, current: $0.current.description,
                available: $0.available.description, reserved: $0.reserved.description,
                uncleared: $0.uncleared.description, asOf: RFC3339.string(ms: $0.asOfMs), shortCode: $0.shortCode,
                shortCodeID: $0.shortCodeID?.rawValue)
        }
        asOf = view.asOfMs.map { RFC3339.string(ms: $0) }
        latestCheck = view.latestCheck.map(QueryJSON.init)
    }

    enum CodingKeys: String, CodingKey {
        case data
        case asOf = "as_of"
        case latestCheck = "latest_check"
    }
}

/// An amount in shillings as a JSON number: whole (`10`) as the contract's amounts are, or with its cents
/// (`10.5`) when it has them, as a C2B confirmation may: never cut to whole shillings.
struct ShillingsJSON: Encodable, Sendable, Equatable, ExpressibleByIntegerLiteral {
    let minorUnits: Int64

    init(_ amount: Amount) { minorUnits = amount.minorUnits }

    init(integerLiteral shillings: Int64) { minorUnits = shillings * Limits.minorUnitsPerShillingCount }

    /// The JSON number's text: `10`, `10.5`, `10.05` (`Amount`'s `10.50` without trailing zeros).
    var text: String {
        var text = Amount(minorUnits: minorUnits).description
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if minorUnits % Limits.minorUnitsPerShillingCount == 0 {
            try container.encode(minorUnits / Limits.minorUnitsPerShillingCount)
        } else {
            try container.encode(Decimal(string: text) ?? 0)
        }
    }
}
