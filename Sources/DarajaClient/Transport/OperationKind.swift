/// How a request may be retried.
enum OperationKind: Sendable {
    /// Reads (token, STK query, balance, transaction status): retried with backoff on network errors, 5xx, 429.
    case query
    /// Moves money or changes Daraja's state (STK push, B2C, B2B, reversal, C2B simulate/register):
    /// never re-sent once it may have reached Daraja; an unclear fate becomes `.outcomeUnknown`.
    case mutation
}
