/// An access token the sandbox issued.
struct TokenRecord: Sendable {
    let consumerKey: String
    let expiresAt: ContinuousClock.Instant
}
