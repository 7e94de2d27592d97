import DarajaClient
import DarajaWire
public import PesaCore

/// `POST /v1/payments/stk-push`, before validation.
public struct STKPushParameters: Sendable {
    public var phone: String
    public var amount: Int64
    public var accountReference: String
    public var description: String
    /// The profile to collect on (its number or `sc_…` id); nil: the organization's default.
    public var shortCode: String?

    public init(
        phone: String, amount: Int64, accountReference: String, description: String, shortCode: String? = nil
    ) {
        self.phone = phone
        self.amount = amount
        self.accountReference = accountReference
        self.description = description
        self.shortCode = shortCode
    }
}

/// A payment as a creating request answers it.
public struct PaymentAnswer: Sendable {
    public let payment: Payment
    /// The same `Idempotency-Key` and body were seen before: this is the first answer again.
    public let isReplay: Bool
}

/// What a creating request carries for idempotency.
public struct IdempotencyInput: Sendable {
    public let key: String
    /// Hex SHA-256 of the request body.
    public let requestHash: String

    public init(key: String, requestHash: String) {
        self.key = key
        self.requestHash = requestHash
    }
}

extension Gateway {
    /// Journals the intent, asks Daraja to prompt the customer, and journals Daraja's answer. The payment
    /// then waits for its callback (or reconciliation).
    public func stkPush(
        _ input: STKPushParameters, in organization: OrganizationID, idempotency: IdempotencyInput?, by actor: Actor
    ) async throws(EngineError) -> PaymentAnswer {
        try actor.authorize(.createSTKPush, in: organization)
        let phone: MSISDN
        let amount: Amount
        do {
            phone = try MSISDN(input.phone)
            amount = try Amount.validatedShillings(input.amount, for: .stkPush)
        } catch {
            throw EngineError.from(error)
        }
        let reference = try Self.darajaText(
            input.accountReference, field: "account_reference", max: Limits.accountReferenceCharactersMax)
        let description = try Self.darajaText(
            input.description, field: "description", max: Limits.descriptionCharactersMax)
        try await requirePaymentsAllowed(in: organization)
        let credentials = try await shortCodeProfile(for: organization, named: input.shortCode, use: .stkPush)
        try actor.requireEnvironment(of: credentials)
        let engine = try await self.engine(organization)
        let client = try upstreamClient(for: organization, profile: credentials)
        let id = PaymentID(randomBytes: CommandContext.randomBytes(16))
        var requested = TenantEvent.STKPushRequested(
            paymentID: id, amount: amount, phone: phone, accountReference: reference, description: description,
            transactionType: credentials.transactionType, idempotencyKey: idempotency?.key,
            requestHash: idempotency?.requestHash)
        requested.shortCodeID = credentials.id
        let request = TenantEvent.stkPushRequested(requested)
        return try await initiate(
            request, id: id, audit: "payment.stk_push", idempotency: idempotency, by: actor, engine: engine
        ) { (callbackBase) throws(DarajaError) in
            let call = STKPushInput(
                businessShortCode: credentials.shortCode, passkey: DarajaSecret(credentials.passkey),
                transactionType: credentials.transactionType.darajaValue, amount: input.amount,
                phoneNumber: phone.digits,
                partyB: credentials.transactionType == .buyGoods ? credentials.tillNumber : nil,
                callbackURL: callbackBase + "/stk", accountReference: reference, transactionDescription: description)
            let response = try await client.stkPush(call)
            return .init(
                paymentID: id, merchantRequestID: response.merchantRequestID,
                checkoutRequestID: response.checkoutRequestID)
        }
    }

    enum StartOutcome: Sendable {
        case started(callbackBase: String)
        case replay(Payment)
    }

    /// The steps every money-moving request shares: journal the intent and its audit entry (after the
    /// subscription, idempotency and `check` allow it) **before** Daraja is called, so that a callback that
    /// beats Daraja's answer still finds its payment; then call Daraja (`send`, given the organization's
    /// callback URL base) and journal its acknowledgement, or what its refusal means. A result that came
    /// before the acknowledgement is applied with it.
    func initiate(
        _ request: TenantEvent, id: PaymentID, audit action: String, idempotency: IdempotencyInput?, by actor: Actor,
        engine: TenantEngine, check: @escaping @Sendable (TenantState) throws(EngineError) -> Void = { _ in },
        send: (String) async throws(DarajaError) -> TenantEvent.PaymentAccepted
    ) async throws(EngineError) -> PaymentAnswer {
        let settings = payments
        let seal = try await callbackTokenSeal(engine)
        let plans = planCatalog
        let start = try await engine.execute { (state, context) throws(EngineError) -> Decision<StartOutcome> in
            try Self.requireActiveSubscription(state)
            if let idempotency {
                switch state.paymentIdempotency(
                    key: idempotency.key, requestHash: idempotency.requestHash, nowMs: context.nowMs)
                {
                case .replay(let prior): return Decision(value: .replay(prior))
                case .conflict:
                    throw EngineError(
                        .idempotencyKeyReused, "Idempotency-Key was used with another request", param: "Idempotency-Key"
                    )
                case .new: break
                }
            }
            try check(state)
            switch request {
            case .stkPushRequested, .b2cRequested: try Self.requireWithinCap(state, plans: plans, nowMs: context.nowMs)
            default: break  // a reversal gives money back: never capped
            }
            guard let organization = state.organization else { throw EngineError.notFound("organization") }
            return Decision(
                events: [request, actor.audit(action, target: id.rawValue)],
                value: .started(callbackBase: settings.callbackURLBase(
                    slug: organization.slug.rawValue, token: try seal.current(organization))))
        }
        guard case .started(let callbackBase) = start else {
            guard case .replay(let prior) = start else { preconditionFailure("start is replay or started") }
            return PaymentAnswer(payment: prior, isReplay: true)
        }
        let accepted: TenantEvent.PaymentAccepted
        do throws(DarajaError) {
            accepted = try await send(callbackBase)
        } catch {
            try await recordUpstreamFailure(error, payment: id, engine: engine)
            return PaymentAnswer(payment: try await payment(id, engine: engine), isReplay: false)
        }
        return PaymentAnswer(payment: try await recordAcceptance(accepted, engine: engine), isReplay: false)
    }

    /// Journals Daraja's acknowledgement of a payment (and its result, when that came first); the payment after.
    func recordAcceptance(_ accepted: TenantEvent.PaymentAccepted, engine: TenantEngine) async throws(EngineError)
        -> Payment
    {
        let id = accepted.paymentID
        let darajaID = accepted.checkoutRequestID ?? accepted.conversationID
        return try await engine.execute { (state, _) throws(EngineError) in
            var events = [TenantEvent.paymentAccepted(accepted)]
            guard let payment = state.payment(id: id) else { return Decision(events: events, value: ()) }
            if let checkoutID = accepted.checkoutRequestID {
                let holders = state.payments.rows(forCheckoutRequestID: checkoutID).map {
                    state.payments.payment(at: $0)
                }
                if !holders.isEmpty {
                    // Daraja named a CheckoutRequestID another payment holds: its callbacks cannot tell the two
                    // apart, so neither is settled from them; both wait for a person.
                    events += Self.flagSharedCheckoutID(checkoutID, new: payment, holders: holders)
                    return Decision(events: events, value: ())
                }
            }
            // The result came before this answer: settle from it now.
            if let darajaID, case .result(let early)? = engine.takeEarlyResult(darajaID: darajaID),
                early.merchantRequestID == nil || early.merchantRequestID == accepted.merchantRequestID
            {
                events += Self.settlement(early, of: payment, source: .callback, in: state)
            }
            return Decision(events: events, value: ())
        } thenRead: { (state, _) throws(EngineError) in
            guard let payment = state.payment(id: id) else { throw EngineError.notFound("payment") }
            return payment
        }
    }

    /// The new payment and every other that holds `checkoutID` turned `unknown` (those that still can), each
    /// naming the others.
    static func flagSharedCheckoutID(_ checkoutID: String, new payment: Payment, holders: [Payment]) -> [TenantEvent] {
        let all = holders + [payment]
        return all.flatMap { one in
            let others = all.filter { $0.id != one.id }.map(\.id.rawValue).joined(separator: ", ")
            return flag(
                one, .duplicateCheckoutRequestID,
                "Daraja acknowledged CheckoutRequestID \(checkoutID) for this payment and for \(others)",
                source: .reconciliation)
        }
    }

    /// Journals what Daraja's refusal means for the payment, then throws the API's answer. A request that
    /// may have reached Daraja stays pending for reconciliation instead.
    func recordUpstreamFailure(_ error: DarajaError, payment id: PaymentID, engine: TenantEngine)
        async throws(EngineError)
    {
        let (code, message) = (error.reportedCode, error.reportedMessage)
        let maybeSent = error.code == .outcomeUnknown
        let failed = TenantEvent.paymentUpstreamFailed(.init(
            paymentID: id, status: maybeSent ? .pending : .failed, errorCode: code, errorMessage: message))
        try await engine.execute { (_, _) throws(EngineError) in Decision(events: [failed], value: ()) }
        switch error.code {
        case .outcomeUnknown:
            throw EngineError(
                .upstreamError,
                "Daraja failed (\(code)) after the request may have reached it: payment \(id) stays pending and is "
                    + "reconciled; do not retry it with a new Idempotency-Key")
        case .unreachable, .transport:
            throw EngineError(
                .upstreamUnavailable, "Daraja could not be reached; the payment \(id) was not sent and is failed")
        case .authentication:
            throw EngineError(
                .upstreamError,
                "Daraja refused the consumer key or secret of the short code this request used (\(code)): check them "
                    + "with POST /v1/short-codes/{id}/verify; payment \(id) is failed")
        case .rejected, .invalidResponse, .invalidCertificate, .invalidInput:
            throw EngineError(.upstreamError, "Daraja refused the request: \(code) \(message); payment \(id) is failed")
        }
    }

    func upstreamClient(for organization: OrganizationID, profile: ShortCodeProfile) throws(EngineError)
        -> DarajaClient
    {
        guard let upstream else {
            throw EngineError(.upstreamUnavailable, "this gateway has no outbound Daraja connection")
        }
        return upstream.client(tenant: organization.rawValue, profile: profile)
    }

    func payment(_ id: PaymentID, engine: TenantEngine) async throws(EngineError) -> Payment {
        try await engine.read { (state) throws(EngineError) in
            guard let payment = state.payment(id: id) else { throw EngineError.notFound("payment") }
            return payment
        }
    }

    /// A payment of the organization, with nothing of any other.
    public func payment(_ id: PaymentID, in organization: OrganizationID, by actor: Actor) async throws(EngineError)
        -> Payment
    {
        try actor.authorize(.readPayment, in: organization)
        return try await payment(id, engine: try await engine(organization))
    }

    /// A plan with a hard cap refuses a payment beyond the transactions it includes this Kenya month (402);
    /// money already moving is never stopped.
    static func requireWithinCap(_ state: TenantState, plans: PlanCatalog, nowMs: Int64) throws(EngineError) {
        guard let organization = state.organization, let plan = plans.plan(organization.plan), plan.hardCap else {
            return
        }
        let month = KenyaTime.monthKey(ms: nowMs)
        let used = state.transactionsByMonth[month] ?? 0
        guard used < plan.includedTransactions else {
            throw EngineError(
                .subscriptionInactive,
                "plan \(plan.name) includes \(plan.includedTransactions) transactions a month and has a hard cap; "
                    + "\(used) were started in \(month) (Kenya time): no new payments until next month, or move to "
                    + "another plan (the operator changes it)")
        }
    }

    static func requireActiveSubscription(_ state: TenantState) throws(EngineError) {
        guard let organization = state.organization else { throw EngineError.notFound("organization") }
        guard organization.status == .active else {
            throw EngineError(.subscriptionInactive, "this organization is disabled: no new payments")
        }
        guard organization.subscriptionStatus.allowsPaymentInitiation else {
            throw EngineError(.subscriptionInactive, Self.inactiveSubscriptionMessage(state))
        }
    }

    /// A suspended or cancelled subscription (or a disabled organization) is refused before anything else is
    /// looked at, so that the 402 says why and how to pay, whatever else the request lacks.
    func requirePaymentsAllowed(in organization: OrganizationID) async throws(EngineError) {
        try await engine(organization).read { (state) throws(EngineError) in try Self.requireActiveSubscription(state) }
    }

    /// Why a suspended or cancelled subscription starts no payment, and what brings it back. Callbacks,
    /// reconciliation and reads go on whatever the status.
    static func inactiveSubscriptionMessage(_ state: TenantState) -> String {
        let status = state.organization?.subscriptionStatus ?? .suspended
        var message = "the subscription is \(status.rawValue): no new payments"
        if let reason = state.subscription?.reason { message += " (\(reason))" }
        let unpaid = state.invoicesNewestFirst.filter { $0.kind == .invoice && $0.status == .open }
        if let oldest = unpaid.last {
            message += ". Pay invoice \(oldest.number ?? oldest.id.rawValue) (KES \(oldest.total)) with POST "
                + "/v1/invoices/\(oldest.id.rawValue)/pay, or by bank transfer to the operator; the subscription "
                + "is active again as soon as it is paid"
        } else {
            message += ". Ask the operator to reactivate it"
        }
        return message
    }

    /// Daraja's free-text fields: trimmed, `min` to `max` characters, letters, digits, spaces and `-_.,/`.
    static func darajaText(_ text: String, field: String, min: Int = 1, max: Int) throws(EngineError) -> String {
        let trimmed = text.trimmingWhitespace()
        guard (min...max).contains(trimmed.count) else {
            throw EngineError.invalid(field, "\(field) must be \(min) to \(max) characters")
        }
        let allowed = trimmed.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || " -_.,/".unicodeScalars.contains(scalar))
        }
        guard allowed else {
            throw EngineError.invalid(field, "\(field) may hold letters, digits, spaces and - _ . , / only")
        }
        return trimmed
    }
}
