import DarajaClient
import PesaCore

/// What an initiator API call (B2C, reversal, balance, transaction status) needs: the organization's
/// client, credentials and encrypted initiator password. (The callback URL base comes with the journaled
/// intent for payouts and reversals, from `callbackBase` for queries.)
struct InitiatorCall: Sendable {
    let client: DarajaClient
    let credentials: MpesaCredentials
    let securityCredential: String
}

extension Gateway {
    func initiatorCall(for organization: OrganizationID, engine: TenantEngine, by actor: Actor?)
        async throws(EngineError) -> InitiatorCall
    {
        let credentials = try await self.credentials(for: organization)
        try actor?.requireEnvironment(of: credentials)
        let client = try upstreamClient(for: organization, engine: engine, credentials: credentials)
        guard let upstream else {
            throw EngineError(.upstreamUnavailable, "this gateway has no outbound Daraja connection")
        }
        let securityCredential = try upstream.securityCredential(
            tenant: organization.rawValue, generation: engine.credentialsGeneration, credentials: credentials)
        return InitiatorCall(client: client, credentials: credentials, securityCredential: securityCredential)
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
