import DarajaClient
import DarajaWire
public import PesaCore

/// What `POST /v1/c2b/register-urls` registered with Daraja.
public struct C2BRegistration: Sendable {
    public let shortCode: String
    /// `Completed` (Daraja completes the payment when the validation URL cannot be reached) or `Cancelled`.
    public let responseType: String
    public let confirmationURL: String
    public let validationURL: String
    public let responseDescription: String
}

extension Gateway {
    /// Sets how the organization's C2B validation requests are answered. Audited.
    public func setC2BValidation(
        rejectUnknown: Bool, accountReferences: [String], in organization: OrganizationID, by actor: Actor
    ) async throws(EngineError) -> C2BValidationRecord {
        try actor.authorize(.registerC2BURLs, in: organization)
        let engine = try await self.engine(organization)
        do { try TenantState.validateC2BReferences(accountReferences) } catch { throw EngineError.from(error) }
        // A long list takes several journal lines, written as one commit: the rule changes whole or not at all.
        let events = TenantEvent.c2bValidation(rejectUnknown: rejectUnknown, accountReferences: accountReferences)
        try await engine.execute { (_, _) throws(EngineError) in
            Decision(events: events + [actor.audit("c2b.validation_set", target: organization.rawValue)], value: ())
        }
        return try await c2bValidation(in: organization, by: actor)
    }

    /// How the organization's C2B validation requests are answered (accept all when never set).
    public func c2bValidation(in organization: OrganizationID, by actor: Actor) async throws(EngineError)
        -> C2BValidationRecord
    {
        try actor.authorize(.registerC2BURLs, in: organization)
        return try await engine(organization).read { state in
            state.c2bValidation ?? C2BValidationRecord.acceptAll
        }
    }

    /// Registers the organization's own C2B confirmation and validation URLs for one of its paybills or tills
    /// (`shortCode`, else the default). Audited.
    public func registerC2BURLs(
        responseType: String?, shortCode: String? = nil, in organization: OrganizationID, by actor: Actor
    ) async throws(EngineError) -> C2BRegistration {
        try actor.authorize(.registerC2BURLs, in: organization)
        let type: String
        switch responseType?.trimmingWhitespace().lowercased() {
        case nil, "completed": type = "Completed"
        case "cancelled", "canceled": type = "Cancelled"
        default: throw EngineError.invalid("response_type", "response_type must be completed or cancelled")
        }
        let engine = try await self.engine(organization)
        let credentials = try await shortCodeProfile(for: organization, named: shortCode, use: .c2b)
        try actor.requireEnvironment(of: credentials)
        let client = try upstreamClient(for: organization, profile: credentials)
        return try await registerC2BURLs(
            type: type, credentials: credentials, client: client, engine: engine, by: actor)
    }

    /// Registers the organization's C2B URLs with Daraja for its shortcode and audits it (the caller authorized).
    func registerC2BURLs(
        type: String, credentials: ShortCodeProfile, client: DarajaClient, engine: TenantEngine, by actor: Actor
    ) async throws(EngineError) -> C2BRegistration {
        let base = try await callbackBase(engine)
        let registration = C2BRegistration(
            shortCode: credentials.shortCode, responseType: type, confirmationURL: base + "/c2b/confirmation",
            validationURL: base + "/c2b/validation", responseDescription: "")
        let answer: C2BAcknowledgement
        do throws(DarajaError) {
            answer = try await client.registerC2BURLs(C2BRegisterURLRequest(
                shortCode: FlexibleString(numberIfPossible: registration.shortCode), responseType: type,
                confirmationURL: registration.confirmationURL, validationURL: registration.validationURL))
        } catch {
            throw Self.requestFailure(error, what: "the URL registration")
        }
        try await engine.execute { (_, _) throws(EngineError) in
            Decision(events: [actor.audit("c2b.register_urls", target: registration.shortCode)], value: ())
        }
        return C2BRegistration(
            shortCode: registration.shortCode, responseType: type, confirmationURL: registration.confirmationURL,
            validationURL: registration.validationURL, responseDescription: answer.responseDescription)
    }
}
