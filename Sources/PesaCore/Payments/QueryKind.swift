/// What a query sent to Daraja asks (its answer comes later, by callback).
public enum QueryKind: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Account balance of the organization's B2C shortcode.
    case balance
    /// Transaction status of one transaction (by receipt or by conversation id).
    case transactionStatus = "transaction_status"

    public var description: String { rawValue }
}

/// Where a query stands.
public enum QueryStatus: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Sent; Daraja's result has not come yet.
    case pending
    /// Daraja answered with result code 0.
    case completed
    /// Daraja answered with another code, or its queue timed out.
    case failed

    public var description: String { rawValue }
}
