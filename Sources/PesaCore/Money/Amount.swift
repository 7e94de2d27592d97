/// An amount of Kenyan shillings, exact, in minor units (cents; 100 per shilling). Never floating point.
/// Daraja takes whole shillings: `wholeShillings` and the `validated...` helpers make that explicit.
public struct Amount: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let minorUnits: Int64

    public init(minorUnits: Int64) {
        self.minorUnits = minorUnits
    }

    /// An amount of whole shillings. Overflowing `Int64` minor units is a programming error.
    public init(shillings: Int64) {
        let (value, overflow) = shillings.multipliedReportingOverflow(by: Limits.minorUnitsPerShillingCount)
        precondition(!overflow, "amount in shillings overflows Int64 minor units")
        self.minorUnits = value
    }

    public static let zero = Amount(minorUnits: 0)

    /// An amount as Daraja writes one in text: digits, then optionally a point and one or two decimals
    /// ("150", "150.5", "150.00"). Nil for anything else: a sign, an exponent, spaces, more decimals, more
    /// than 15 digits.
    public init?(decimalText text: some StringProtocol) {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard let whole = parts.first, (1...15).contains(whole.count), whole.allSatisfy(isDigit) else { return nil }
        let fraction = parts.count == 2 ? Array(parts[1]) : []
        guard parts.count == 1 || (1...2).contains(fraction.count), fraction.allSatisfy(isDigit) else { return nil }
        let digits = { (bytes: [UInt8]) in bytes.reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) } }
        let cents = digits(fraction) * (fraction.count == 1 ? 10 : 1)
        self.init(minorUnits: digits(Array(whole)) * Limits.minorUnitsPerShillingCount + cents)
    }

    /// Whole shillings, or nil when the amount has cents.
    public var wholeShillings: Int64? {
        minorUnits % Limits.minorUnitsPerShillingCount == 0 ? minorUnits / Limits.minorUnitsPerShillingCount : nil
    }

    /// `1234.50`, always two decimals (for CSV and reports; JSON carries whole shillings, or these digits without
    /// trailing zeros when there are cents: `ShillingsJSON`).
    public var description: String {
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.minorUnits < rhs.minorUnits }

    /// Sum that reports overflow instead of trapping.
    public func adding(_ other: Amount) -> Amount? {
        let (value, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        return overflow ? nil : Amount(minorUnits: value)
    }

    public init(from decoder: any Decoder) throws {
        minorUnits = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(minorUnits)
    }
}

extension Amount {
    /// What an amount is for: each has Daraja's own range of whole shillings.
    public enum Purpose: Sendable, CaseIterable {
        case stkPush, b2c, reversal

        public var shillingsRange: ClosedRange<Int64> {
            switch self {
            case .stkPush: Limits.stkAmountShillingsMin...Limits.stkAmountShillingsMax
            case .b2c: Limits.b2cAmountShillingsMin...Limits.b2cAmountShillingsMax
            case .reversal: Limits.reversalAmountShillingsMin...Limits.reversalAmountShillingsMax
            }
        }
    }

    /// An API amount given in whole shillings (the API's `amount` field), checked against the purpose's range.
    public static func validatedShillings(
        _ shillings: Int64, for purpose: Purpose, field: String = "amount"
    ) throws(PesaCoreError) -> Amount {
        let range = purpose.shillingsRange
        guard shillings > 0 else {
            throw .invalidAmount("amount must be a positive whole number of shillings", field: field)
        }
        guard range.contains(shillings) else {
            throw .amountOutOfRange(
                "amount must be between \(range.lowerBound) and \(range.upperBound) KES", field: field)
        }
        return Amount(shillings: shillings)
    }

    /// Checks an amount in minor units for a Daraja call and gives the whole shillings Daraja takes.
    public func darajaShillings(for purpose: Purpose, field: String = "amount") throws(PesaCoreError) -> Int64 {
        guard let shillings = wholeShillings else {
            throw .invalidAmount("Daraja takes whole shillings; \(self) KES has cents", field: field)
        }
        return try Amount.validatedShillings(shillings, for: purpose, field: field).minorUnits
            / Limits.minorUnitsPerShillingCount
    }
}
