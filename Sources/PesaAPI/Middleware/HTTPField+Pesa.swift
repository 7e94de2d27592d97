public import HTTPTypes

/// Header names of the contract that HTTPTypes does not name.
extension HTTPField.Name {
    public static let requestID = named("X-Request-Id")
    public static let idempotencyKey = named("Idempotency-Key")
    public static let idempotencyHit = named("Idempotency-Hit")
    public static let rateLimitLimit = named("RateLimit-Limit")
    public static let rateLimitRemaining = named("RateLimit-Remaining")
    public static let rateLimitReset = named("RateLimit-Reset")
    public static let billingWarning = named("Pesa-Billing-Warning")
    public static let forwardedFor = named("X-Forwarded-For")
    public static let xFrameOptions = named("X-Frame-Options")
    public static let referrerPolicy = named("Referrer-Policy")

    private static func named(_ name: String) -> Self {
        guard let field = Self(name) else { preconditionFailure("invalid header name \(name)") }
        return field
    }
}
