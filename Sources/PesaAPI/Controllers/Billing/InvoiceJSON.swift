import Hummingbird
import PesaCore

/// An invoice or credit note as the API shows it. Money in KES as JSON numbers with cents; times RFC 3339;
/// the month and period are Kenya time (EAT, UTC+3).
struct InvoiceJSON: ResponseEncodable, Sendable {
    struct LineJSON: Encodable, Sendable {
        struct SourceJSON: Encodable, Sendable {
            let seqFrom: UInt64?
            let seqTo: UInt64?

            enum CodingKeys: String, CodingKey {
                case seqFrom = "seq_from"
                case seqTo = "seq_to"
            }
        }

        let item: String
        let description: String
        let quantity: Int64
        let unitAmount: ShillingsJSON
        let amount: ShillingsJSON
        let used: Int64?
        let included: Int64?
        let source: SourceJSON

        enum CodingKeys: String, CodingKey {
            case item, description, quantity, amount, used, included, source
            case unitAmount = "unit_amount"
        }
    }

    struct PaymentJSON: Encodable, Sendable {
        let method: String
        let reference: String
        let paymentID: String?

        enum CodingKeys: String, CodingKey {
            case method, reference
            case paymentID = "payment_id"
        }
    }

    let id: String
    let object: String
    let number: String?
    let month: String
    let timezone: String
    let status: String
    let currency: String
    let organizationName: String?
    let plan: String
    let planVersion: Int64
    let periodStart: String
    let periodEnd: String
    let lines: [LineJSON]
    let subtotal: ShillingsJSON
    let tax: ShillingsJSON
    let total: ShillingsJSON
    let vatRate: String
    let vatInclusive: Bool
    let createdAt: String
    let finalizedAt: String?
    let dueAt: String?
    let paidAt: String?
    let payment: PaymentJSON?
    let voidedAt: String?
    let voidReason: String?
    let relatedInvoiceID: String?
    let throughSeq: UInt64

    init(_ invoice: Invoice) {
        let time = { (ms: Int64?) in ms.map { RFC3339.string(ms: $0) } }
        id = invoice.id.rawValue
        object = invoice.kind.rawValue
        number = invoice.number
        month = invoice.month
        timezone = UsageController.timezone
        status = invoice.status.rawValue
        currency = "KES"
        organizationName = invoice.organizationName
        plan = invoice.plan
        planVersion = invoice.planVersion
        periodStart = RFC3339.string(ms: invoice.periodStartMs)
        periodEnd = RFC3339.string(ms: invoice.periodEndMs)
        lines = invoice.lines.map { line in
            LineJSON(
                item: line.item, description: line.description, quantity: line.quantity,
                unitAmount: ShillingsJSON(line.unitAmount), amount: ShillingsJSON(line.amount), used: line.used,
                included: line.included, source: .init(seqFrom: line.seqFrom, seqTo: line.seqTo))
        }
        subtotal = ShillingsJSON(invoice.subtotal)
        tax = ShillingsJSON(invoice.tax)
        total = ShillingsJSON(invoice.total)
        vatRate = InvoiceDocument.vatRate(invoice.vatBasisPoints)
        vatInclusive = invoice.vatInclusive
        createdAt = RFC3339.string(ms: invoice.createdAtMs)
        finalizedAt = time(invoice.finalizedAtMs)
        dueAt = invoice.kind == .invoice ? time(invoice.dueAtMs) : nil
        paidAt = time(invoice.paidAtMs)
        payment = invoice.payment.map {
            PaymentJSON(method: $0.method, reference: $0.reference, paymentID: $0.paymentID?.rawValue)
        }
        voidedAt = time(invoice.voidedAtMs)
        voidReason = invoice.voidReason
        relatedInvoiceID = invoice.relatedInvoiceID?.rawValue
        throughSeq = invoice.throughSeq
    }

    enum CodingKeys: String, CodingKey {
        case id, object, number, month, timezone, status, currency, plan, lines, subtotal, tax, total, payment
        case organizationName = "organization_name"
        case planVersion = "plan_version"
        case periodStart = "period_start"
        case periodEnd = "period_end"
        case vatRate = "vat_rate"
        case vatInclusive = "vat_inclusive"
        case createdAt = "created_at"
        case finalizedAt = "finalized_at"
        case dueAt = "due_at"
        case paidAt = "paid_at"
        case voidedAt = "voided_at"
        case voidReason = "void_reason"
        case relatedInvoiceID = "related_invoice_id"
        case throughSeq = "through_seq"
    }

    /// Every key present: absent values are `null`, so that clients see the whole shape.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(object, forKey: .object)
        try container.encode(number, forKey: .number)
        try container.encode(month, forKey: .month)
        try container.encode(timezone, forKey: .timezone)
        try container.encode(status, forKey: .status)
        try container.encode(currency, forKey: .currency)
        try container.encode(organizationName, forKey: .organizationName)
        try container.encode(plan, forKey: .plan)
        try container.encode(planVersion, forKey: .planVersion)
        try container.encode(periodStart, forKey: .periodStart)
        try container.encode(periodEnd, forKey: .periodEnd)
        try container.encode(lines, forKey: .lines)
        try container.encode(subtotal, forKey: .subtotal)
        try container.encode(tax, forKey: .tax)
        try container.encode(total, forKey: .total)
        try container.encode(vatRate, forKey: .vatRate)
        try container.encode(vatInclusive, forKey: .vatInclusive)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(finalizedAt, forKey: .finalizedAt)
        try container.encode(dueAt, forKey: .dueAt)
        try container.encode(paidAt, forKey: .paidAt)
        try container.encode(payment, forKey: .payment)
        try container.encode(voidedAt, forKey: .voidedAt)
        try container.encode(voidReason, forKey: .voidReason)
        try container.encode(relatedInvoiceID, forKey: .relatedInvoiceID)
        try container.encode(throughSeq, forKey: .throughSeq)
    }

    static let schema: JSONValue = {
        let money: JSONValue = ["type": "number"]
        let text = JSONSchema.string
        let optionalTime = JSONSchema.nullable(JSONSchema.dateTime)
        return JSONSchema.object([
            "id": text, "object": JSONSchema.enumeration(["invoice", "credit_note"]),
            "number": JSONSchema.nullable(text), "month": text, "timezone": text,
            "status": JSONSchema.enumeration(InvoiceStatus.allCases.map(\.rawValue)), "currency": text,
            "organization_name": JSONSchema.nullable(text), "plan": text, "plan_version": JSONSchema.integer,
            "period_start": JSONSchema.dateTime, "period_end": JSONSchema.dateTime,
            "lines": JSONSchema.array(
                of: JSONSchema.object([
                    "item": text, "description": text, "quantity": JSONSchema.integer, "unit_amount": money,
                    "amount": money, "used": JSONSchema.nullable(JSONSchema.integer),
                    "included": JSONSchema.nullable(JSONSchema.integer),
                    "source": JSONSchema.object([
                        "seq_from": JSONSchema.nullable(JSONSchema.integer),
                        "seq_to": JSONSchema.nullable(JSONSchema.integer),
                    ]),
                ])),
            "subtotal": money, "tax": money, "total": money, "vat_rate": text, "vat_inclusive": JSONSchema.boolean,
            "created_at": JSONSchema.dateTime, "finalized_at": optionalTime, "due_at": optionalTime,
            "paid_at": optionalTime,
            "payment": JSONSchema.nullable(
                JSONSchema.object([
                    "method": text, "reference": text, "payment_id": JSONSchema.nullable(text),
                ])),
            "voided_at": optionalTime, "void_reason": JSONSchema.nullable(text),
            "related_invoice_id": JSONSchema.nullable(text), "through_seq": JSONSchema.integer,
        ])
    }()
}
