public import PesaCore

extension Gateway {
    /// `Limits.previousCallbackTokenHoursMax`.
    public static let previousCallbackTokenHoursMax = Limits.previousCallbackTokenHoursMax

    /// Gives the organization a new callback token (its callback URLs change); the replaced one stays
    /// accepted for `previousValidHours` (0: not at all, for a leaked token), then is refused like any wrong
    /// token. Only one previous token is kept, so while one is still accepted another rotation is refused
    /// (409) unless `force`: a retried or repeated rotation would otherwise cut off, at once, the token that
    /// registered C2B URLs and results on their way still carry. Audited; the tokens are never in the audit
    /// entry. Answers the organization as this rotation left it.
    public func rotateCallbackToken(
        in organization: OrganizationID, previousValidHours: Int64, force: Bool = false, by actor: Actor
    ) async throws(EngineError) -> OrganizationView {
        try actor.authorize(.rotateCallbackToken, in: organization)
        guard (0...Self.previousCallbackTokenHoursMax).contains(previousValidHours) else {
            throw EngineError.invalid(
                "previous_valid_hours", "previous_valid_hours must be 0 to \(Self.previousCallbackTokenHoursMax)")
        }
        let engine = try await engine(organization)
        // An organization whose tokens were journaled in clear gets its key now; the new token is sealed.
        let token = try await callbackTokenSeal(engine, create: true).seal(Self.callbackToken())
        let record = try await engine.execute(
            { (state, context) throws(EngineError) in
                guard let current = state.organization else { throw EngineError.notFound("organization") }
                if !force, let until = current.previousCallbackTokenValidUntilMs, context.nowMs < until {
                    throw EngineError(
                        .conflict,
                        "the token replaced by the last rotation is still accepted "
                            + "(previous_callback_token_valid_until); rotating now would refuse it at once. "
                            + "Wait until then, or send \"force\": true",
                        param: "force")
                }
                let rotated = TenantEvent.organizationUpdated(.init(
                    callbackToken: token,
                    previousCallbackTokenValidUntilMs: previousValidHours == 0
                        ? nil : context.nowMs + previousValidHours * 3_600_000))
                return Decision(
                    events: [rotated, actor.audit("organization.callback_token_rotate", target: organization.rawValue)],
                    value: ())
            },
            thenRead: { (state, _) throws(EngineError) -> OrganizationRecord in
                guard let record = state.organization else { throw EngineError.notFound("organization") }
                return record
            })
        return await view(of: record, engine: engine)
    }

    /// The gateway's wall clock, for views that depend on the time (a previous callback token's grace).
    public var wallClockMs: Int64 { clock.nowMs() }
}
