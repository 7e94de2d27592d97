import DarajaClient
import DarajaWire
public import PesaCore

/// What `POST /v1/c2b/simulate` asked of Daraja's sandbox. The payment itself arrives later, as the sandbox's
/// C2B confirmation to the organization's URL, and is listed like any other C2B payment.
public struct C2BSimulation: Sendable {
    public let shortCode: String
    /// Whole shillings.
    public let amount: Int64
    /// The paying phone, 12 digits.
    public let phone: String
    public let accountReference: String
    /// Daraja's id of the simulate request.
    public let originatorConversationID: String
    public let responseDescription: String
    /// The C2B URLs registered just before, so that the confirmation reaches this organization.
    public let registration: C2BRegistration
}

extension Gateway {
    /// Asks Daraja's sandbox to make a customer pay the organization's shortcode (C2B simulate), after
    /// registering the organization's C2B URLs (the sandbox keeps registrations only while it runs, and re-registering
    /// in the sandbox is harmless). Only for sandbox credentials: production has no simulate (`SANDBOX_ONLY`). Audited.
    public func simulateC2B(
        amount shillings: Int64, phone text: String, accountReference: String, shortCode: String? = nil,
        in organization: OrganizationID, by actor: Actor
    ) async throws(EngineError) -> C2BSimulation {
        try actor.authorize(.simulateC2B, in: organization)
        let phone: MSISDN
        do {
            phone = try MSISDN(text)
            _ = try Amount.validatedShillings(shillings, for: .stkPush)
        } catch {
            throw EngineError.from(error)
        }
        let reference = try Self.darajaText(
            accountReference, field: "account_reference", max: Limits.accountReferenceCharactersMax)
        let engine = try await self.engine(organization)
        let credentials = try await shortCodeProfile(for: organization, named: shortCode, use: .c2b)
        guard credentials.environment == "sandbox" else {
            throw EngineError(
                .sandboxOnly,
                "C2B simulate exists only in Daraja's sandbox; short code \(credentials.shortCode) is a production "
                    + "one, where customers pay from their phones")
        }
        let client = try upstreamClient(for: organization, profile: credentials)
        let registration = try await registerC2BURLs(
            type: "Completed", credentials: credentials, client: client, engine: engine, by: actor)
        let command = credentials.transactionType == .buyGoods ? "CustomerBuyGoodsOnline" : "CustomerPayBillOnline"
        let answer: C2BAcknowledgement
        do throws(DarajaError) {
            answer = try await client.simulateC2B(C2BSimulateRequest(
                shortCode: FlexibleString(numberIfPossible: credentials.shortCode), commandID: command,
                amount: FlexibleString(numberIfPossible: String(shillings)),
                msisdn: FlexibleString(numberIfPossible: phone.digits), billRefNumber: reference))
        } catch {
            throw Self.requestFailure(error, what: "the C2B simulation")
        }
        try await engine.execute { (_, _) throws(EngineError) in
            Decision(events: [actor.audit("c2b.simulate", target: answer.originatorConversationID)], value: ())
        }
        return C2BSimulation(
            shortCode: credentials.shortCode, amount: shillings, phone: phone.digits,
            accountReference: reference, originatorConversationID: answer.originatorConversationID,
            responseDescription: answer.responseDescription, registration: registration)
    }
}
