/// An organization's subscription, as GET /v1/subscription shows it.
public enum SubscriptionStatus: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case trialing
    case active
    /// Payment is late: a grace period, payments still start.
    case pastDue = "past_due"
    case suspended
    case cancelled

    /// New payments may start (otherwise 402). Callbacks are processed whatever the status.
    public var allowsPaymentInitiation: Bool {
        switch self {
        case .trialing, .active, .pastDue: true
        case .suspended, .cancelled: false
        }
    }

    public var description: String { rawValue }
}
