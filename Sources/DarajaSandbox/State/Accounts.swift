/// One organization's M-Pesa accounts, in cents. Balances move with successful payments and payouts.
struct Accounts: Sendable {
    var workingCents: Int64 = 50_000_000
    var utilityCents: Int64 = 25_000_000
    var chargesPaidCents: Int64 = 0

    /// `Working Account|KES|...&Utility Account|KES|...` as in the AccountBalance result (Daraja's
    /// Account Balance API documentation).
    var balanceString: String {
        [
            Self.line("Working Account", workingCents), Self.line("Float Account", 0),
            Self.line("Utility Account", utilityCents), Self.line("Charges Paid Account", chargesPaidCents),
            Self.line("Organization Settlement Account", 0),
        ].joined(separator: "&")
    }

    static func line(_ name: String, _ cents: Int64) -> String {
        let amount = format(cents)
        return "\(name)|KES|\(amount)|\(amount)|0.00|0.00"
    }

    /// `1234.50` from 123450 cents.
    static func format(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
