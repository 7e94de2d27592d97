public import DarajaWire

/// The answer to an STK query.
public enum STKQueryStatus: Sendable, Hashable {
    /// Daraja answered `500.001.1001` "The transaction is being processed": ask again later.
    case pending
    /// The payment is final; `ResultCode` `"0"` is success.
    case completed(STKQueryResponse)
}
