/// The last part of a Daraja callback URL: `POST /callbacks/{org_slug}/{callback_token}/{kind}`.
public enum CallbackKind: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case stk
    case c2bValidation = "c2b/validation"
    case c2bConfirmation = "c2b/confirmation"
    case b2cResult = "b2c/result"
    case b2cTimeout = "b2c/timeout"
    case reversalResult = "reversal/result"
    case reversalTimeout = "reversal/timeout"
    case balanceResult = "balance/result"
    case balanceTimeout = "balance/timeout"
    case statusResult = "status/result"
    case statusTimeout = "status/timeout"

    public var description: String { rawValue }

    /// Queue-timeout callbacks: Daraja gave up queueing the request (the payment is not settled by them).
    public var isQueueTimeout: Bool {
        switch self {
        case .b2cTimeout, .reversalTimeout, .balanceTimeout, .statusTimeout: true
        default: false
        }
    }
}
