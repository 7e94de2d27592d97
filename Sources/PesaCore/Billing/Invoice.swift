/// An invoice's life: a `draft` is refreshed with late usage; `open` is final (its number and lines never change
/// again); then `paid` or `void` (a voided invoice gets a credit note; a correction is a new invoice).
public enum InvoiceStatus: String, Sendable, Codable, CaseIterable {
    case draft, open, paid, void
}

/// An invoice, or a credit note cancelling one.
public enum InvoiceKind: String, Sendable, Codable {
    case invoice
    case creditNote = "credit_note"
}

/// One line of an invoice. Money in integer cents. A metered line says how much was used and how much the
/// plan included; every line cites the journal positions (`seq_from`…`seq_to`) of the events it was counted
/// from, so that it can be proven from the organization's own journal.
public struct InvoiceLine: Sendable, Equatable, Codable {
    /// `plan_fee`, `api_calls`, `transactions`, `credit`.
    public var item: String
    public var description: String
    /// Units billed (days for a plan fee; units beyond the plan for a metered item).
    public var quantity: Int64
    public var unitAmount: Amount
    public var amount: Amount
    public var used: Int64?
    public var included: Int64?
    public var seqFrom: UInt64?
    public var seqTo: UInt64?

    public init(
        item: String, description: String, quantity: Int64, unitAmount: Amount, amount: Amount, used: Int64? = nil,
        included: Int64? = nil, seqFrom: UInt64? = nil, seqTo: UInt64? = nil
    ) {
        self.item = item
        self.description = description
        self.quantity = quantity
        self.unitAmount = unitAmount
        self.amount = amount
        self.used = used
        self.included = included
        self.seqFrom = seqFrom
        self.seqTo = seqTo
    }

    enum CodingKeys: String, CodingKey {
        case item, description, quantity, amount, used, included
        case unitAmount = "unit_amount"
        case seqFrom = "seq_from"
        case seqTo = "seq_to"
    }
}

/// How an invoice was paid.
public struct InvoicePayment: Sendable, Equatable, Codable {
    /// `mpesa` (an STK push from the operator's short code) or `manual` (marked by a super admin).
    public var method: String
    /// The M-Pesa receipt, or the bank transfer's reference.
    public var reference: String
    /// The push's payment in the operator's organization.
    public var paymentID: PaymentID?

    public init(method: String, reference: String, paymentID: PaymentID? = nil) {
        self.method = method
        self.reference = reference
        self.paymentID = paymentID
    }

    enum CodingKeys: String, CodingKey {
        case method, reference
        case paymentID = "payment_id"
    }
}

/// An organization's invoice for a Kenya month, or a credit note. Journaled whole at each change
/// (`invoice.saved`); `TenantState` refuses changes an invoice's status forbids.
public struct Invoice: Sendable, Equatable, Codable {
    public var id: InvoiceID
    public var kind: InvoiceKind
    public var month: String
    public var status: InvoiceStatus
    /// Given when finalized, from the instance's gapless sequence.
    public var number: String?
    /// The organization's name when the invoice was made (printed on it).
    public var organizationName: String?
    public var periodStartMs: Int64
    public var periodEndMs: Int64
    /// The plan at the period's end, and its version the prices were taken from.
    public var plan: String
    public var planVersion: Int64
    public var lines: [InvoiceLine]
    public var subtotal: Amount
    public var tax: Amount
    public var total: Amount
    public var vatBasisPoints: Int64
    public var vatInclusive: Bool
    /// The journal position usage was counted up to.
    public var throughSeq: UInt64
    public var createdAtMs: Int64
    public var finalizedAtMs: Int64?
    public var dueAtMs: Int64?
    public var paidAtMs: Int64?
    public var payment: InvoicePayment?
    public var voidedAtMs: Int64?
    public var voidReason: String?
    /// For a credit note: the invoice it cancels. For a voided invoice: its credit note.
    public var relatedInvoiceID: InvoiceID?

    public init(
        id: InvoiceID, kind: InvoiceKind = .invoice, month: String, periodStartMs: Int64, periodEndMs: Int64,
        plan: String, planVersion: Int64, lines: [InvoiceLine], vatBasisPoints: Int64, vatInclusive: Bool,
        throughSeq: UInt64, createdAtMs: Int64
    ) {
        self.id = id
        self.kind = kind
        self.month = month
        self.status = .draft
        self.periodStartMs = periodStartMs
        self.periodEndMs = periodEndMs
        self.plan = plan
        self.planVersion = planVersion
        self.lines = lines
        self.vatBasisPoints = vatBasisPoints
        self.vatInclusive = vatInclusive
        self.throughSeq = throughSeq
        self.createdAtMs = createdAtMs
        (subtotal, tax, total) = Invoice.totals(of: lines, vatBasisPoints: vatBasisPoints, inclusive: vatInclusive)
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, month, status, number, plan, lines, subtotal, tax, total, payment
        case organizationName = "organization_name"
        case periodStartMs = "period_start_ms"
        case periodEndMs = "period_end_ms"
        case planVersion = "plan_version"
        case vatBasisPoints = "vat_basis_points"
        case vatInclusive = "vat_inclusive"
        case throughSeq = "through_seq"
        case createdAtMs = "created_at_ms"
        case finalizedAtMs = "finalized_at_ms"
        case dueAtMs = "due_at_ms"
        case paidAtMs = "paid_at_ms"
        case voidedAtMs = "voided_at_ms"
        case voidReason = "void_reason"
        case relatedInvoiceID = "related_invoice_id"
    }

    /// Subtotal, VAT and total of `lines`. Exclusive: VAT is added to the lines' sum. Inclusive: the sum is the
    /// total and VAT is the part of it the rate makes. Rounded half up to the cent.
    public static func totals(of lines: [InvoiceLine], vatBasisPoints: Int64, inclusive: Bool)
        -> (subtotal: Amount, tax: Amount, total: Amount)
    {
        let sum = lines.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
        if inclusive {
            let tax = roundedHalfUp(sum * vatBasisPoints, dividedBy: 10_000 + vatBasisPoints)
            return (Amount(minorUnits: sum - tax), Amount(minorUnits: tax), Amount(minorUnits: sum))
        }
        let tax = roundedHalfUp(sum * vatBasisPoints, dividedBy: 10_000)
        return (Amount(minorUnits: sum), Amount(minorUnits: tax), Amount(minorUnits: sum + tax))
    }

    /// `value / divisor` rounded half away from zero (divisor > 0).
    public static func roundedHalfUp(_ value: Int64, dividedBy divisor: Int64) -> Int64 {
        let magnitude = (value.magnitude * 2 + divisor.magnitude) / (divisor.magnitude * 2)
        return value < 0 ? -Int64(magnitude) : Int64(magnitude)
    }

    /// Whether this invoice still counts as the month's regular invoice (a voided one, or a credit note, does not).
    public var isCurrentInvoice: Bool { kind == .invoice && status != .void }

    /// Whether `next` may replace this invoice: a draft may change anything but its id, kind and month; a
    /// final invoice only its status (open → paid | void) and what records that; a paid one only the placeholder
    /// reference of its M-Pesa payment, for the push's receipt.
    public func allowsChange(to next: Invoice) -> Bool {
        guard next.id == id, next.kind == kind, next.month == month else { return false }
        switch (status, next.status) {
        case (.draft, .draft), (.draft, .open): return true
        case (.open, .paid), (.open, .void):
            var frozen = next
            frozen.status = status
            frozen.paidAtMs = paidAtMs
            frozen.payment = payment
            frozen.voidedAtMs = voidedAtMs
            frozen.voidReason = voidReason
            frozen.relatedInvoiceID = relatedInvoiceID
            return frozen == self
        case (.paid, .paid):
            // An M-Pesa payment settled by a status query names its payment until the push's receipt comes, once.
            guard let payment, let paymentID = payment.paymentID, payment.method == "mpesa",
                payment.reference == paymentID.rawValue, let receipt = next.payment, receipt.method == payment.method,
                receipt.paymentID == paymentID, receipt.reference != payment.reference, !receipt.reference.isEmpty
            else { return false }
            var frozen = next
            frozen.payment = payment
            return frozen == self
        default: return false
        }
    }
}
