import DarajaClient
import PesaCore

/// What an initiator API call (B2C, reversal, balance, transaction status) needs: the profile's client,
/// secrets and encrypted initiator password. (The callback URL base comes with the journaled
/// intent for payouts and reversals, from `callbackBase` for queries.)
struct InitiatorCall: Sendable {
    let client: DarajaClient
    let credentials: ShortCodeProfile
    let securityCredential: String
}

extension Gateway {
    /// The call for the profile a request names (`short_code`), else the default for `use`.
    func initiatorCall(
        for organization: OrganizationID, named name: String?, use: ShortCodeUse, by actor: Actor?
    ) async throws(EngineError) -> InitiatorCall {
        let profile = try await shortCodeProfile(for: organization, named: name, use: use)
        return try initiatorCall(for: organization, profile: profile, by: actor)
    }

    func initiatorCall(for organization: OrganizationID, profile: ShortCodeProfile, by actor: Actor?)
        throws(EngineError) -> InitiatorCall
    {
        try actor?.requireEnvironment(of: profile)
        if let refusal = ShortCodeUse.query.refusal(of: profile.record) {
            throw EngineError(.credentialsMissing, refusal)
        }
        let client = try upstreamClient(for: organization, profile: profile)
        guard let upstream else {
            throw EngineError(.upstreamUnavailable, "this gateway has no outbound Daraja connection")
        }
        let securityCredential = try upstream.securityCredential(tenant: organization.rawValue, profile: profile)
        return InitiatorCall(client: client, credentials: profile, securityCredential: securityCredential)
    }

    /// `{public_url}/callbacks/{slug}/{token}` of the organization.
    func callbackBase(_ engine: TenantEngine) async throws(EngineError) -> String {
        let settings = payments
        let seal = try await callbackTokenSeal(engine)
        return try await engine.read { (state) throws(EngineError) in
            guard let organization = state.organization else { throw EngineError.notFound("organization") }
            return settings.callbackURLBase(slug: organization.slug.rawValue, token: try seal.current(organization))
        }
    }
}
