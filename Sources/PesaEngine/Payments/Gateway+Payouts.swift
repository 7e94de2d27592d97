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
    /// The profile to pay out from (its number or `sc_…` id); nil: the organization's default.
    public var shortCode: String?

    public init(
        phone: String, amount: Int64, command: String, remarks: String, occasion: String?, shortCode: String? = nil
    ) {
        self.phone = phone
        self.amount = amount
        self.command = command
        self.remarks = remarks
        self.occasion = occasion
        self.shortCode = shortCode
    }
}

/// `POST /v1/reversals`, before validation.
public struct ReversalParameters: Sendable {
    /// The receipt to reverse; may be left out when `paymentID` names the payment.
    public var mpesaReceipt: String?
    public var amount: Int64
    public var remarks: String
    /// The payment to reverse, instead of (or besides) its receipt.
    public var paymentID: String?
    /// The profile the payment was received on (its number or `sc_…` id); nil: the payment's own, which is
    /// the only one Daraja reverses it from.
    public var shortCode: String?

    public init(
        mpesaReceipt: String?, amount: Int64, remarks: String, paymentID: String? = nil, shortCode: String? = nil
    ) {
        self.mpesaReceipt = mpesaReceipt
        self.amount = amount
        self.remarks = remarks
        self.paymentID = paymentID
        self.shortCode = shortCode
    }
}

extension Gateway {
    /// A B2C payout: journaled before Daraja is called, sent with the payment's own id as
    /// `OriginatorConversationID` (so Daraja refuses a resend of the same payout, and a result that beats the
    /// acknowledgement still finds it), settled by the `b2c/result` callback or by a transaction-status query.
    public func payout(
        _ input: PayoutParameters, in organization: OrganizationID, idempotency: IdempotencyInput?, by actor: Actor
    ) async throws(EngineError) -> PaymentAnswer {
        let checked = try await checkedPayout(input, in: organization, by: actor)
        let engine = try await self.engine(organization)
        let id = PaymentID(randomBytes: CommandContext.randomBytes(16))
        var requested = TenantEvent.B2CRequested(
            paymentID: id, amount: checked.amount, phone: checked.phone, command: checked.command,
            remarks: checked.remarks, occasion: checked.occasion, idempotencyKey: idempotency?.key,
            requestHash: idempotency?.requestHash)
        requested.shortCodeID = checked.initiator.credentials.id
        let request = TenantEvent.b2cRequested(requested)
        return try await initiate(
            request, id: id, audit: "payment.payout", idempotency: idempotency, by: actor, engine: engine
        ) { (callbackBase) throws(DarajaError) in
            try await Self.sendB2C(
                id: id, initiator: checked.initiator, command: checked.command, amount: input.amount,
                phone: checked.phone, remarks: checked.remarks, occasion: checked.occasion, callbackBase: callbackBase)
        }
    }

    /// The checks of `payout`, nothing journaled nor sent: what a form asks its user to confirm before it sends.
    public func previewPayout(_ input: PayoutParameters, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> MoneyPreview
    {
        let checked = try await checkedPayout(input, in: organization, by: actor)
        return MoneyPreview(
            amount: checked.amount, phone: checked.phone.digits, shortCode: checked.initiator.credentials.shortCode,
            environment: checked.initiator.credentials.environment)
    }

    /// A payout's values as `payout` sends them, each checked, and the call to the short code it pays from.
    private func checkedPayout(_ input: PayoutParameters, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> CheckedPayout
    {
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
            text.trimmingWhitespace().isEmpty
                ? nil : try Self.darajaText(text, field: "occasion", max: Limits.remarksCharactersMax)
        }
        try await requirePaymentsAllowed(in: organization)
        let initiator = try await initiatorCall(for: organization, named: input.shortCode, use: .payout, by: actor)
        return CheckedPayout(
            phone: phone, amount: amount, command: command, remarks: remarks, occasion: occasion, initiator: initiator)
    }

    /// Daraja's B2C request for payout `id` (its id is the `OriginatorConversationID`), and the acknowledgement
    /// to journal. Single payouts and batch rows send through here.
    static func sendB2C(
        id: PaymentID, initiator: InitiatorCall, command: B2CCommand, amount: Int64, phone: MSISDN, remarks: String,
        occasion: String?, callbackBase: String
    ) async throws(DarajaError) -> TenantEvent.PaymentAccepted {
        let credentials = initiator.credentials
        let acknowledgement = try await initiator.client.b2cPayment(B2CPaymentRequest(
            originatorConversationID: id.rawValue, initiatorName: credentials.initiatorName,
            securityCredential: initiator.securityCredential, commandID: command.darajaCommandID,
            amount: FlexibleString(numberIfPossible: String(amount)),
            partyA: FlexibleString(numberIfPossible: credentials.shortCode),
            partyB: FlexibleString(numberIfPossible: phone.digits), remarks: remarks,
            queueTimeOutURL: callbackBase + "/b2c/timeout", resultURL: callbackBase + "/b2c/result",
            occasion: occasion))
        return .init(
            paymentID: id, conversationID: acknowledgement.conversationID,
            originatorConversationID: acknowledgement.originatorConversationID)
    }

    /// Reverses one of the organization's succeeded STK or C2B payments, named by its M-Pesa receipt or its id.
    /// The original becomes `reversed` when the reversal's result succeeds. A receipt of no payment of this
    /// organization is answered 404, as if it did not exist; a payment with a reversal already under way or
    /// done is answered 409, and so is one whose receipt is still being looked up. A retry with the first
    /// request's `Idempotency-Key` and body gets the first answer, whatever happened to the payment since.
    public func reversal(
        _ input: ReversalParameters, in organization: OrganizationID, idempotency: IdempotencyInput?, by actor: Actor
    ) async throws(EngineError) -> PaymentAnswer {
        let fields = try Self.reversalFields(input, in: organization, by: actor)
        let engine = try await self.engine(organization)
        let nowMs = clock.nowMs()
        let found = try await engine.read { (state) throws(EngineError) -> StartOutcome? in
            guard let idempotency else { return nil }
            switch state.paymentIdempotency(key: idempotency.key, requestHash: idempotency.requestHash, nowMs: nowMs) {
            case .replay(let prior): return .replay(prior)
            case .conflict:
                // Said before the payment's own checks, which a reversal sent under this key changed.
                throw EngineError(
                    .idempotencyKeyReused, "Idempotency-Key was used with another request", param: "Idempotency-Key")
            case .new: return nil
            }
        }
        if case .replay(let prior)? = found { return PaymentAnswer(payment: prior, isReplay: true) }
        let (original, receipt, initiator) = try await reversalTarget(fields, in: organization, by: actor)
        let (amount, remarks) = (fields.amount, fields.remarks)
        let id = PaymentID(randomBytes: CommandContext.randomBytes(16))
        var requested = TenantEvent.ReversalRequested(
            paymentID: id, originalPaymentID: original.id, mpesaReceipt: receipt, amount: amount, remarks: remarks,
            idempotencyKey: idempotency?.key, requestHash: idempotency?.requestHash)
        requested.shortCodeID = initiator.credentials.id
        let request = TenantEvent.reversalRequested(requested)
        return try await initiate(
            request, id: id, audit: "payment.reversal", idempotency: idempotency, by: actor, engine: engine,
            check: { (state) throws(EngineError) in
                _ = try Self.reversible(receipt: receipt, paymentID: original.id, amount: amount, in: state)
            }
        ) { (callbackBase) throws(DarajaError) in
            let credentials = initiator.credentials
            let acknowledgement = try await initiator.client.reversal(ReversalRequest(
                initiator: credentials.initiatorName, securityCredential: initiator.securityCredential,
                transactionID: receipt, amount: FlexibleString(numberIfPossible: String(input.amount)),
                receiverParty: FlexibleString(numberIfPossible: credentials.shortCode),
                resultURL: callbackBase + "/reversal/result", queueTimeOutURL: callbackBase + "/reversal/timeout",
                remarks: remarks, occasion: nil))
            return .init(
                paymentID: id, conversationID: acknowledgement.conversationID,
                originatorConversationID: acknowledgement.originatorConversationID)
        }
    }

    /// The checks of `reversal`, nothing journaled nor sent: what a form asks its user to confirm before it sends.
    public func previewReversal(_ input: ReversalParameters, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> MoneyPreview
    {
        let fields = try Self.reversalFields(input, in: organization, by: actor)
        let (original, receipt, initiator) = try await reversalTarget(fields, in: organization, by: actor)
        return MoneyPreview(
            amount: fields.amount, phone: original.phone, shortCode: initiator.credentials.shortCode,
            environment: initiator.credentials.environment, original: original, receipt: receipt)
    }

    /// A reversal's fields as `reversal` reads them, each checked, for a caller it allows.
    private static func reversalFields(_ input: ReversalParameters, in organization: OrganizationID, by actor: Actor)
        throws(EngineError) -> ReversalFields
    {
        try actor.authorize(.createReversal, in: organization)
        let (named, paymentID) = try Self.receiptOrPaymentID(input.mpesaReceipt, input.paymentID)
        let amount: Amount
        do {
            amount = try Amount.validatedShillings(input.amount, for: .reversal)
        } catch {
            throw EngineError.from(error)
        }
        let remarks = try Self.darajaText(
            input.remarks, field: "remarks", min: Limits.remarksCharactersMin, max: Limits.remarksCharactersMax)
        return ReversalFields(
            receipt: named, paymentID: paymentID, amount: amount, remarks: remarks, shortCode: input.shortCode)
    }

    /// The payment a reversal with `fields` reverses, its receipt, and the call to the short code it goes out
    /// from.
    private func reversalTarget(_ fields: ReversalFields, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> (Payment, String, InitiatorCall)
    {
        let (original, receipt) = try await engine(organization).read { (state) throws(EngineError) in
            let original = try Self.reversible(
                receipt: fields.receipt, paymentID: fields.paymentID, amount: fields.amount, in: state)
            return (original, original.mpesaReceipt ?? "")
        }
        let initiator = try await reversalCall(for: original, named: fields.shortCode, in: organization, by: actor)
        return (original, receipt, initiator)
    }

    /// A reversal goes out from the short code the payment was received on (Daraja reverses it from no other):
    /// a `short_code` naming another is a 422.
    func reversalCall(for original: Payment, named name: String?, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> InitiatorCall
    {
        guard let own = original.shortCodeID else {
            return try await initiatorCall(for: organization, named: name, use: .query, by: actor)
        }
        let engine = try await self.engine(organization)
        let record = try await shortCode(own, engine: engine)
        if let name = name?.trimmingWhitespace(), !name.isEmpty, name != own.rawValue, !record.answers(to: name) {
            throw EngineError.invalid(
                "short_code", "payment \(original.id) was received on short code \(record.shortCode); a reversal "
                    + "goes out from that short code only")
        }
        guard !record.isDeleted else {
            throw EngineError(
                .conflict, "short code \(record.shortCode) of payment \(original.id) is deleted; it cannot reverse")
        }
        let profile = try await self.profile(record, engine: engine)
        return try initiatorCall(for: organization, profile: profile, by: actor)
    }

    /// The most a reversal of one of the organization's payments may take now (its amount), or nil when a
    /// reversal of it would be refused: the checks of `reversal`, its receipt known, for a caller it allows.
    public func reversibleAmount(of id: PaymentID, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> Amount?
    {
        try actor.authorize(.createReversal, in: organization)
        return try await engine(organization).read { state in
            guard let original = try? Self.reversible(receipt: nil, paymentID: id, amount: .zero, in: state),
                original.mpesaReceipt != nil
            else { return nil }
            return original.amount
        }
    }

    /// The succeeded STK or C2B payment a reversal may reverse, named by its receipt, its id, or both (which
    /// must then agree): at most its amount, its receipt known, and none under way.
    static func reversible(receipt: String?, paymentID: PaymentID?, amount: Amount, in state: TenantState)
        throws(EngineError) -> Payment
    {
        let row: Int
        if let paymentID {
            guard let found = state.payments.row(for: paymentID) else { throw EngineError.notFound("payment") }
            row = found
        } else {
            guard let receipt, let found = state.payments.row(forReceipt: receipt) else {
                throw EngineError.notFound("payment with this M-Pesa receipt")
            }
            row = found
        }
        let original = state.payments.payment(at: row)
        guard original.type == .stkPush || original.type == .c2b else {
            throw EngineError(
                .conflict, "only STK push and C2B payments can be reversed; \(original.id) is \(original.type.rawValue)"
            )
        }
        guard !original.receiptPending else {
            throw EngineError(
                .receiptPending,
                "payment \(original.id) succeeded but its M-Pesa receipt is still being looked up (receipt_pending); "
                    + "it can be reversed once the receipt is known")
        }
        if let receipt, receipt != original.mpesaReceipt {
            throw EngineError.invalid("mpesa_receipt", "mpesa_receipt is not the receipt of payment \(original.id)")
        }
        guard original.status == .succeeded else {
            throw EngineError(
                .conflict,
                "payment \(original.id) is \(original.status.rawValue); only a succeeded payment can be reversed")
        }
        guard amount <= original.amount else {
            throw EngineError.invalid(
                "amount", "amount is more than the payment being reversed (\(original.amount) KES)")
        }
        guard state.payments.openReversal(of: original.id) == nil else {
            throw EngineError(.conflict, "a reversal of payment \(original.id) is already under way")
        }
        return original
    }
}
