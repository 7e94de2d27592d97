/// The last known balance of one account.
public struct BalanceRecord: Sendable, Equatable {
    public internal(set) var account: String
    public internal(set) var currency: String
    public internal(set) var current: Amount
    public internal(set) var available: Amount
    public internal(set) var reserved: Amount
    public internal(set) var uncleared: Amount
    public internal(set) var asOfMs: Int64
    /// The profile whose account it is, and that profile's number.
    public internal(set) var shortCodeID: ShortCodeID?
    public internal(set) var shortCode: String?

    /// Where `TenantState.balances` keeps an account of a profile.
    static func key(shortCodeID: ShortCodeID?, account: String) -> String {
        shortCodeID.map { "\($0.rawValue)/\(account)" } ?? account
    }
}
