public import PesaCore

/// Daraja's `AccountBalance` text: accounts joined by `&`, each `Name|Currency|Current|Available|Reserved|Uncleared`
/// with decimal amounts (`700000.00`, `-1540.00`). Read without floating point; an unreadable account is skipped.
public enum BalanceText {
    public static func accounts(_ text: String) -> [TenantEvent.BalanceAccount] {
        text.split(separator: "&").compactMap { part -> TenantEvent.BalanceAccount? in
            let fields = part.split(separator: "|", omittingEmptySubsequences: false).map {
                String($0).trimmingWhitespace()
            }
            guard fields.count == 6, !fields[0].isEmpty else { return nil }
            let amounts = fields[2...5].compactMap(minorUnits)
            guard amounts.count == 4 else { return nil }
            return TenantEvent.BalanceAccount(
                account: fields[0], currency: fields[1].isEmpty ? "KES" : fields[1],
                current: Amount(minorUnits: amounts[0]), available: Amount(minorUnits: amounts[1]),
                reserved: Amount(minorUnits: amounts[2]), uncleared: Amount(minorUnits: amounts[3]))
        }
    }

    /// `-1540.5` → -154050; at most two decimals, at most 15 whole digits.
    static func minorUnits(_ text: String) -> Int64? {
        var digits = Substring(text)
        let negative = digits.hasPrefix("-")
        if negative { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, (1...15).contains(whole.count), whole.allSatisfy(\.isASCIIDigit) else {
            return nil
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 2, fraction.allSatisfy(\.isASCIIDigit), let units = Int64(whole) else {
            return nil
        }
        let cents = Int64(String(fraction) + String(repeating: "0", count: 2 - fraction.count)) ?? 0
        let value = units * 100 + cents
        return negative ? -value : value
    }
}
