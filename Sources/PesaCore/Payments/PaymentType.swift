/// What kind of money movement a payment is.
public enum PaymentType: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case stkPush = "stk_push"
    case c2b
    case b2c
    case reversal

    public var description: String { rawValue }
}
