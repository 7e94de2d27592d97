import PesaCore
import Testing

/// An invoice's money: VAT added to the lines or taken out of them, rounded half up to the cent; what a final
/// invoice may still become; and the instance's invoice numbers.
@Suite struct InvoiceTotalsTests {
    static func line(_ cents: Int64) -> InvoiceLine {
        InvoiceLine(
            item: "plan_fee", description: "fee", quantity: 1, unitAmount: Amount(minorUnits: cents),
            amount: Amount(minorUnits: cents))
    }

    @Test(arguments: [
        // (lines, basis points, inclusive, subtotal, tax, total)
        ([250_000, 1_250], 1_600, false, 251_250, 40_200, 291_450),
        ([3], 1_600, false, 3, 0, 3),  // 0.48 cents rounds down
        ([4], 1_600, false, 4, 1, 5),  // 0.64 cents rounds up
        ([116_000], 1_600, true, 100_000, 16_000, 116_000),
        ([1], 1_600, true, 1, 0, 1),
        ([100_000], 0, false, 100_000, 0, 100_000),
        ([-116_000], 1_600, true, -100_000, -16_000, -116_000),
    ] as [([Int64], Int64, Bool, Int64, Int64, Int64)])
    func totals(
        lines: [Int64], basisPoints: Int64, inclusive: Bool, subtotal: Int64, tax: Int64, total: Int64
    ) {
        let result = Invoice.totals(of: lines.map(Self.line), vatBasisPoints: basisPoints, inclusive: inclusive)
        #expect(result.subtotal.minorUnits == subtotal)
        #expect(result.tax.minorUnits == tax)
        #expect(result.total.minorUnits == total)
        #expect(result.subtotal.minorUnits + result.tax.minorUnits == result.total.minorUnits)
    }

    @Test func roundingIsHalfAwayFromZero() {
        #expect(Invoice.roundedHalfUp(5, dividedBy: 10) == 1)
        #expect(Invoice.roundedHalfUp(4, dividedBy: 10) == 0)
        #expect(Invoice.roundedHalfUp(-5, dividedBy: 10) == -1)
        #expect(Invoice.roundedHalfUp(310_000 * 17, dividedBy: 31) == 170_000)
    }

    @Test func aFinalInvoiceOnlyBecomesPaidOrVoid() {
        var open = Invoice(
            id: InvoiceID(randomBytes: Array(repeating: 1, count: 16)), month: "2026-12", periodStartMs: 0,
            periodEndMs: 1, plan: "starter", planVersion: 1, lines: [Self.line(100)], vatBasisPoints: 1_600,
            vatInclusive: false, throughSeq: 9, createdAtMs: 1)
        let draft = open
        var changed = draft
        changed.lines = [Self.line(200)]
        #expect(draft.allowsChange(to: changed))
        open.status = .open
        open.number = "PESA-2026-000001"
        open.dueAtMs = 10
        #expect(draft.allowsChange(to: open))
        var paid = open
        paid.status = .paid
        paid.paidAtMs = 11
        paid.payment = InvoicePayment(method: "manual", reference: "BANK-1")
        #expect(open.allowsChange(to: paid))
        var tampered = paid
        tampered.total = Amount(minorUnits: 1)
        #expect(!open.allowsChange(to: tampered))
        var renumbered = open
        renumbered.number = "PESA-2026-000002"
        #expect(!open.allowsChange(to: renumbered))
        #expect(!paid.allowsChange(to: open))
        var voided = paid
        voided.status = .void
        #expect(!paid.allowsChange(to: voided))
        // A manual payment's reference is final.
        var rereferenced = paid
        rereferenced.payment?.reference = "BANK-2"
        #expect(!paid.allowsChange(to: rereferenced))
    }

    /// A push settled by a status query names its payment until its receipt comes: that one change, once.
    @Test func aPaidInvoiceGainsItsPushsReceiptOnceAndNothingElse() {
        let paymentID = PaymentID(randomBytes: Array(repeating: 7, count: 16))
        var paid = Invoice(
            id: InvoiceID(randomBytes: Array(repeating: 1, count: 16)), month: "2026-12", periodStartMs: 0,
            periodEndMs: 1, plan: "starter", planVersion: 1, lines: [Self.line(100)], vatBasisPoints: 1_600,
            vatInclusive: false, throughSeq: 9, createdAtMs: 1)
        paid.number = "PESA-2026-000001"
        paid.dueAtMs = 10
        paid.status = .paid
        paid.paidAtMs = 11
        paid.payment = InvoicePayment(method: "mpesa", reference: paymentID.rawValue, paymentID: paymentID)
        var withReceipt = paid
        withReceipt.payment?.reference = "UL7ABC1234"
        #expect(paid.allowsChange(to: withReceipt))
        var again = withReceipt
        again.payment?.reference = "UL7XYZ9999"
        #expect(!withReceipt.allowsChange(to: again), "a receipt is final")
        var otherPayment = withReceipt
        otherPayment.payment?.paymentID = PaymentID(randomBytes: Array(repeating: 8, count: 16))
        #expect(!paid.allowsChange(to: otherPayment))
        var blank = paid
        blank.payment?.reference = ""
        #expect(!paid.allowsChange(to: blank))
        var repaid = withReceipt
        repaid.paidAtMs = 12
        #expect(!paid.allowsChange(to: repaid))
        var manual = withReceipt
        manual.payment?.method = "manual"
        #expect(!paid.allowsChange(to: manual))
    }

    @Test func numbersCarryThePrefixTheYearAndSixDigitsAtLeast() {
        var settings = BillingSettings()
        #expect(settings.invoiceNumber(sequence: 123, month: "2026-12") == "PESA-2026-000123")
        #expect(settings.invoiceNumber(sequence: 1_234_567, month: "2027-01") == "PESA-2027-1234567")
        settings.invoicePrefix = "pesa"
        #expect(settings.problem?.field == "invoice_prefix")
        settings.invoicePrefix = "ACME2"
        settings.vatBasisPoints = 10_001
        #expect(settings.problem?.field == "vat_basis_points")
        settings.vatBasisPoints = 1_600
        settings.operatorName = "Line\u{7}bell"
        #expect(settings.problem?.field == "operator_name")
    }
}
