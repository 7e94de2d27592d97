import DarajaClient
import DarajaWire
public import PesaCore

/// `POST /v1/payouts`, before validation.
public struct PayoutParameters: Sendable {
    public var phone: String
    public var amount: Int64
    public var command: String
    public var remarks: String
    public var occasion: String?

    public init(phone: String, amount: Int64, command: String, remarks: String, occasion: String?) {
        self.phone = phone
        self.amount = amount
        self.command = command
        self.remarks = remarks
        self.occasion = occasion
    }
}

/// `POST /v1/reversals`, before validation.
public struct ReversalParameters: Sendable {
    public var mpesaReceipt: String
    public var amount: Int64
    public var remarks: String

    public init(mpesaReceipt: String, amount: Int64, remarks: String) {
        self.mpesaReceipt = mpesaReceipt
        self.amount = amount
        self.remarks = remarks
    }
}

extension Gateway {
    /// A B2C payout: journaled before Daraja is called, sent with the payment's own id as
    /// `OriginatorConversationID` (so Daraja refuses a resend of the same payout, and a result that beats the
    /// acknowledgement still finds it), settled by the `b2c/result` callback or by a transaction-status query.
    public func payout(
        _ input: PayoutParameters, in organization: OrganizationID, idempotency: IdempotencyInput?, by actor: Actor
    ) async throws(EngineError) -> PaymentAnswer {
        try actor.authorize(.createPayout, in: organization)
        let phone: MSISDN
        let amount: Amount
        do {
            phone = try MSISDN(input.phone)
            amount = try Amount.validatedShillings(input.amount, for: .b2c)
        } catch {
            throw EngineError.from(error)
        }
        guard let command = B2CCommand(rawValue: input.command) else {
            throw EngineError.invalid("command", "command must be one of \(B2CCommand.allCases.map(\.rawValue))")
        }
        let remarks = try Self.darajaText(
            input.remarks, field: "remarks", min: Limits.remarksCharactersMin, max: Limits.remarksCharactersMax)
        let occasion = try input.occasion.flatMap { (text) throws(EngineError) -> String? in
            text.trimmingWhitespace().isEmpty ? nil : try Self.darajaText(text, field: "occasion", max: Limits.remarksCharactersMax)
        }
        let engine = try await self.engine(organization)
        let initiator = try await initiatorCall(for: organization, engine: engine)
        let id = PaymentID(randomBytes: CommandContext.randomBytes(16))
        let request = TenantEvent.b2cRequested(.init(
            paymentID: id, amount: amount, phone: phone, command: command, remarks: remarks, occasion: occasion,
            idempotencyKey: idempotency?.key, requestHash: idempotency?.requestHash))
        return try await initiate(
            request, id: id, audit: "payment.payout", idempotency: idempotency, by: actor, engine: engine
        ) { (callbackBase) throws(DarajaError) in
            let credentials = initiator.credentials
            let acknowledgement = try await initiator.client.b2cPayment(B2CPaymentRequest(
                originatorConversationID: id.rawValue, initiatorName: credentials.initiatorName,
                securityCredential: initiator.securityCredential, commandID: command.darajaCommandID,
                amount: FlexibleString(numberIfPossible: String(input.amount)),
                partyA: FlexibleString(numberIfPossible: credentials.b2cPartyA),
                partyB: FlexibleString(numberIfPossible: phone.digits), remarks: remarks,
                queueTimeOutURL: callbackBase + "/b2c/timeout", resultURL: callbackBase + "/b2c/result",
                occasion: occasion))
            return .init(
                paymentID: id, conversationID: acknowledgement.conversationID,
                originatorConversationID: acknowledgement.originatorConversationID)
        }
    }

    /// Reverses one of the organization's succeeded STK or C2B payments, named by its M-Pesa receipt. The
    /// original becomes `reversed` when the reversal's result succeeds. A receipt of no payment of this
    /// organization is answered 404, as if it did not exist; a payment with a reversal already under way or
    /// done is answered 409.
    public func reversal(
        _ input: ReversalParameters, in organization: OrganizationID, idempotency: IdempotencyInput?, by actor: Actor
    ) async throws(EngineError) -> PaymentAnswer {
        try actor.authorize(.createReversal, in: organization)
        let receipt = try Self.receipt(input.mpesaReceipt)
        let amount: Amount
        do {
            amount = try Amount.validatedShillings(input.amount, for: .reversal)
        } catch {
            throw EngineError.from(error)
        }
        let remarks = try Self.darajaText(
            input.remarks, field: "remarks", min: Limits.remarksCharactersMin, max: Limits.remarksCharactersMax)
        let engine = try await self.engine(organization)
        let original = try await engine.read { (state) throws(EngineError) in
            try Self.reversible(receipt: receipt, amount: amount, in: state)
        }
        let initiator = try await initiatorCall(for: organization, engine: engine)
        let id = PaymentID(randomBytes: CommandContext.randomBytes(16))
        let request = TenantEvent.reversalRequested(.init(
            paymentID: id, originalPaymentID: original.id, mpesaReceipt: receipt, amount: amount, remarks: remarks,
            idempotencyKey: idempotency?.key, requestHash: idempotency?.requestHash))
        return try await initiate(
            request, id: id, audit: "payment.reversal", idempotency: idempotency, by: actor, engine: engine,
            check: { (state) throws(EngineError) in _ = try Self.reversible(receipt: receipt, amount: amount, in: state) }
        ) { (callbackBase) throws(DarajaError) in
            let credentials = initiator.credentials
            let acknowledgement = try await initiator.client.reversal(ReversalRequest(
                initiator: credentials.initiatorName, securityCredential: initiator.securityCredential,
                transactionID: receipt, amount: FlexibleString(numberIfPossible: String(input.amount)),
                receiverParty: FlexibleString(numberIfPossible: credentials.businessShortCode),
                resultURL: callbackBase + "/reversal/result", queueTimeOutURL: callbackBase + "/reversal/timeout",
                remarks: remarks, occasion: nil))
            return .init(
                paymentID: id, conversationID: acknowledgement.conversationID,
                originatorConversationID: acknowledgement.originatorConversationID)
        }
    }

    /// The succeeded STK or C2B payment a reversal may reverse: at most its amount, and none under way.
    static func reversible(receipt: String, amount: Amount, in state: TenantState) throws(EngineError) -> Payment {
        guard let row = state.payments.row(forReceipt: receipt) else {
            throw EngineError.notFound("payment with this M-Pesa receipt")
        }
        let original = state.payments.payment(at: row)
        guard original.type == .stkPush || original.type == .c2b else {
            throw EngineError(.conflict, "only STK push and C2B payments can be reversed; \(original.id) is \(original.type.rawValue)")
        }
        guard original.status == .succeeded else {
            throw EngineError(.conflict, "payment \(original.id) is \(original.status.rawValue); only a succeeded payment can be reversed")
        }
        guard amount <= original.amount else {
            throw EngineError.invalid("amount", "amount is more than the payment being reversed (\(original.amount) KES)")
        }
        guard state.payments.openReversal(of: original.id) == nil else {
            throw EngineError(.conflict, "a reversal of payment \(original.id) is already under way")
        }
        return original
    }
}
