public import PesaCore

extension Gateway {
    /// The longest a replaced callback token may stay accepted: a year, for C2B URLs that cannot be
    /// registered again at once (Daraja lets production URLs be registered once; changing them takes a
    /// request to Safaricom).
    public static let previousCallbackTokenHoursMax: Int64 = 24 * 366
    /// What a rotation keeps the replaced token for when not told: long enough for every callback of a
    /// request already sent to Daraja (B2C results may queue for hours).
    public static let previousCallbackTokenHoursDefault: Int64 = 72

    /// Gives the organization a new callback token (its callback URLs change); the replaced one stays
    /// accepted for `previousValidHours` (0: not at all), then is refused like any wrong token. Rotating again
    /// within that time ends the older token's grace at once: one previous token at most. Audited; the
    /// tokens are never in the audit entry.
    public func rotateCallbackToken(
        in organization: OrganizationID, previousValidHours: Int64?, by actor: Actor
    ) async throws(EngineError) -> OrganizationView {
        try actor.authorize(.rotateCallbackToken, in: organization)
        let hours = previousValidHours ?? Self.previousCallbackTokenHoursDefault
        guard (0...Self.previousCallbackTokenHoursMax).contains(hours) else {
            throw EngineError.invalid(
                "previous_valid_hours", "previous_valid_hours must be 0 to \(Self.previousCallbackTokenHoursMax)")
        }
        let token = Self.callbackToken()
        try await engine(organization).execute { (state, context) throws(EngineError) in
            guard state.organization != nil else { throw EngineError.notFound("organization") }
            let rotated = TenantEvent.organizationUpdated(.init(
                callbackToken: token,
                previousCallbackTokenValidUntilMs: hours == 0 ? nil : context.nowMs + hours * 3_600_000))
            return Decision(
                events: [rotated, actor.audit("organization.callback_token_rotate", target: organization.rawValue)],
                value: ())
        }
        return try await self.organization(organization, by: actor)
    }
}
