/// The instance's billing settings, kept in its `system/` journal (`billing.settings_saved`, the whole set each
/// time) and changed by a super admin: when an invoice is due and what follows when it is not paid, the tax,
/// how invoices are numbered, who issues them (printed on each) and which organization collects their payment.
public struct BillingSettings: Sendable, Equatable, Codable {
    /// Days after an invoice is finalized until it is due.
    public var dueDays: Int64 = 14
    /// Days past the due date before an unpaid subscription is suspended (it is `past_due` meanwhile).
    public var graceDays: Int64 = 7
    /// Days after a month ends during which its invoices stay drafts, refreshed with late usage.
    public var draftDays: Int64 = 3
    /// VAT in basis points (1600 = 16 %).
    public var vatBasisPoints: Int64 = 1_600
    /// Whether the plan's prices include VAT (the tax is then taken out of the total) or VAT is added to them.
    public var vatInclusive = false
    /// Invoice numbers read `<prefix>-<year>-<six digits>`: capital letters and digits.
    public var invoicePrefix = "PESA"
    /// The operator: printed on every invoice.
    public var operatorName = "Pesa Gateway"
    public var operatorAddress = ""
    /// The operator's KRA PIN (tax number), printed on every invoice.
    public var operatorTaxPIN = ""
    /// The organization whose short code collects invoice payments (STK push); nil: invoices are paid by hand.
    public var operatorOrganizationID: OrganizationID?
    /// The operator organization's short-code profile for those pushes (number or `sc_` id); nil: its default.
    public var operatorShortCode: String?

    public init() {}

    /// The JSON names, shared with `PATCH /v1/admin/billing/settings`.
    public enum CodingKeys: String, CodingKey {
        case dueDays = "due_days"
        case graceDays = "grace_days"
        case draftDays = "draft_days"
        case vatBasisPoints = "vat_basis_points"
        case vatInclusive = "vat_inclusive"
        case invoicePrefix = "invoice_prefix"
        case operatorName = "operator_name"
        case operatorAddress = "operator_address"
        case operatorTaxPIN = "operator_kra_pin"
        case operatorOrganizationID = "operator_organization_id"
        case operatorShortCode = "operator_short_code"
    }

    /// Why these settings cannot be saved (the field and the reason), nil when they can.
    public var problem: (field: String, message: String)? {
        for (field, days) in [("due_days", dueDays), ("grace_days", graceDays), ("draft_days", draftDays)]
        where !(0...365).contains(days) {
            return (field, "\(field) must be 0 to 365")
        }
        if !(0...10_000).contains(vatBasisPoints) {
            return ("vat_basis_points", "vat_basis_points must be 0 to 10000 (100 %)")
        }
        let prefixOK =
            (1...12).contains(invoicePrefix.count)
            && invoicePrefix.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        if !prefixOK { return ("invoice_prefix", "invoice_prefix must be 1 to 12 capital letters or digits") }
        for (field, text, max) in [
            ("operator_name", operatorName, 200), ("operator_address", operatorAddress, 500),
            ("operator_kra_pin", operatorTaxPIN, 20), ("operator_short_code", operatorShortCode ?? "", 40),
        ]
        where text.unicodeScalars.count > max || text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" })
        {
            return (field, "\(field) must be at most \(max) characters without control characters")
        }
        if operatorName.isEmpty { return ("operator_name", "operator_name must not be empty") }
        return nil
    }

    /// The invoice number of `sequence` for an invoice of `month` (`YYYY-MM`): `PESA-2026-000123`.
    public func invoiceNumber(sequence: Int64, month: String) -> String {
        let digits = String(sequence)
        return invoicePrefix + "-" + month.prefix(4) + "-" + String(repeating: "0", count: max(0, 6 - digits.count))
            + digits
    }
}
