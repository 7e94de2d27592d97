public import PesaCore

/// How the API answers a Daraja callback.
public enum CallbackAnswer: Sendable, Equatable {
    /// Durable: answer `{"ResultCode": 0, "ResultDesc": "Accepted"}`.
    case accepted
    /// Wrong slug or token: 404, nothing written.
    case notFound
    /// Kept raw, but not a body of this kind: 400.
    case malformed(String)
    /// A C2B validation request the organization refuses (its account reference is not one it accepts):
    /// answer Daraja's rejection with this result code, so the customer's money does not move.
    case rejected(code: String, desc: String)
}

extension Gateway {
    /// Journals a Daraja callback raw, then what it means, in one durable step: a result settles its payment
    /// once (duplicates and late results are recorded and change nothing), an unknown id is an orphan, a C2B
    /// confirmation becomes a `c2b` payment. Only the organization whose URL (slug and token) it came to is
    /// touched.
    public func receiveCallback(slug: String, token: String, kind: CallbackKind, body: [UInt8])
        async throws(EngineError) -> CallbackAnswer
    {
        guard let listing = registry.listing(slug: slug), let organization = try? OrganizationID(parsing: listing.id)
        else {
            return .notFound
        }
        let engine = try await self.engine(organization)
        let seal = try await callbackTokenSeal(engine)
        let reading = CallbackReading.read(body, kind: kind)
        let raw = String(decoding: body, as: UTF8.self)
        // Only a C2B confirmation creates a payment; other callbacks spend no random bytes on an id.
        let notReceivedAfterMs = payments.notReceivedAfterMs
        let newID: PaymentID? =
            if case .c2bConfirmation = reading { PaymentID(randomBytes: CommandContext.randomBytes(16)) } else { nil }
        let answer = try await engine.execute { (state, context) throws(EngineError) -> Decision<CallbackAnswer> in
            guard let organization = state.organization else { return Decision(value: .notFound) }
            // A key that is gone must not pass for a wrong token (every result would be dropped unseen): `current`
            // throws. The current token is opened once; only a previous one within its grace is opened again.
            let current = try seal.current(organization)
            let open = { (stored: String) in stored == organization.callbackToken ? current : seal.open(stored) }
            let accepted = organization.acceptedCallbackTokens(nowMs: context.nowMs).contains { stored in
                open(stored).map { ConstantTime.equals($0, token) } ?? false
            }
            guard accepted else { return Decision(value: .notFound) }
            return Self.decide(
                reading, kind: kind, raw: raw, state: state, newID: newID, engine: engine, nowMs: context.nowMs,
                notReceivedAfterMs: notReceivedAfterMs)
        }
        // An invoice paid by STK push to the operator is marked paid as soon as the push's result comes.
        if kind == .stk,
            let settings = try? await system.read({ state in state.billing.settings }),
            settings.operatorOrganizationID == organization
        {
            await settleInvoicePayments()
        }
        return answer
    }

    static func decide(
        _ reading: CallbackReading, kind: CallbackKind, raw: String, state: TenantState, newID: PaymentID?,
        engine: TenantEngine, nowMs: Int64, notReceivedAfterMs: Int64 = PaymentSettings().notReceivedAfterMs
    ) -> Decision<CallbackAnswer> {
        func received(_ disposition: TenantEvent.CallbackDisposition, _ id: PaymentID? = nil) -> TenantEvent {
            UnmatchedCallbacks.count(disposition, kind: kind)
            return .callbackReceived(.init(kind: kind, body: raw, disposition: disposition, paymentID: id))
        }
        switch reading {
        case .malformed(let why):
            return Decision(events: [received(.malformed)], value: .malformed(why))
        case .result(let result):
            guard let row = resultRow(result, in: state) else {
                // An id several payments share settles none of them (they wait for a person): not an early result.
                if !isSharedCheckoutID(result, in: state) {
                    engine.rememberEarlyResult(reading, darajaID: result.darajaID)
                }
                return Decision(events: [received(.orphan)], value: .accepted)
            }
            let payment = state.payments.payment(at: row)
            return Decision(
                events: [received(.matched, payment.id)]
                    + settlement(result, of: payment, source: .callback, in: state),
                value: .accepted)
        case .c2bConfirmation(let receipt, let amount, let phone, let reference, let atMs, let shortCode):
            guard let newID else { preconditionFailure("receiveCallback gives a C2B confirmation its new id") }
            // Money paid to a short code this organization does not hold is never its payment: an orphan for a
            // person to look at (GET /v1/callbacks/unmatched).
            guard let profile = collectingShortCode(shortCode, in: state) else {
                return Decision(events: [received(.orphan)], value: .accepted)
            }
            guard state.payments.row(forReceipt: receipt) == nil else {
                return Decision(events: [received(.informational)], value: .accepted)
            }
            var confirmation = TenantEvent.C2BReceived(
                paymentID: newID, amount: amount, phone: phone, mpesaReceipt: receipt,
                accountReference: String(reference.prefix(100)), transactionAtMs: atMs)
            confirmation.shortCodeID = profile.id
            return Decision(events: [received(.informational), .c2bReceived(confirmation)], value: .accepted)
        case .timeout(let darajaID, let originatorID):
            // The request timed out in Daraja's queue: its outcome is unknown; reconciliation asks.
            let row = paymentRow(darajaID: darajaID, byCheckoutID: false, originatorID: originatorID, in: state)
            let event = row.map { received(.matched, state.payments.payment(at: $0).id) } ?? received(.orphan)
            return Decision(events: [event], value: .accepted)
        case .queryResult(let result):
            guard let query = state.query(conversationID: result.conversationID) else {
                engine.rememberEarlyResult(reading, darajaID: result.conversationID)
                return Decision(events: [received(.orphan)], value: .accepted)
            }
            let first = query.paymentID.map { received(.matched, $0) } ?? received(.informational)
            return Decision(
                events: [first] + queryResultEvents(
                    result, queryID: query.id, kind: query.kind, paymentID: query.paymentID,
                    shortCodeID: query.shortCodeID, state: state, nowMs: nowMs, notReceivedAfterMs: notReceivedAfterMs),
                value: .accepted)
        case .c2bValidation(let reference, let shortCode):
            guard collectingShortCode(shortCode, in: state) != nil else {
                return Decision(
                    events: [received(.orphan)],
                    value: .rejected(code: "C2B00015", desc: "Rejected: unknown short code"))
            }
            let accepted = state.c2bValidation?.accepts(accountReference: reference) ?? true
            return Decision(
                events: [received(.informational)],
                value: accepted ? .accepted : .rejected(code: "C2B00012", desc: "Rejected: unknown account number"))
        }
    }

    /// The push an STK success belongs to when Daraja's answer to the push was lost (a timeout after the request
    /// reached Daraja, a crash before the answer was journaled), so the payment has no CheckoutRequestID to be
    /// found by, and cannot be queried either: the one pending push without a CheckoutRequestID with the
    /// success's amount and phone. Only a success with a receipt no payment holds is matched, and only when
    /// exactly one push fits; otherwise the callback stays an orphan and the payment goes to `unknown` for a
    /// person, as before.
    static func pushWithLostAnswer(_ result: CallbackReading.PaymentResult, in state: TenantState) -> Int? {
        guard result.byCheckoutID, result.code.paymentStatus == .succeeded, let receipt = result.receipt,
            !receipt.isEmpty, state.payments.row(forReceipt: receipt) == nil, let shillings = result.shillings,
            let phone = result.phone.map({ $0.filter(\.isNumber) }), !phone.isEmpty
        else { return nil }
        let table = state.payments
        let amount = Amount(shillings: shillings)
        var found: Int?
        for row in table.pendingRowsOldestFirst where table.type(at: row) == .stkPush {
            guard table.amount(at: row) == amount, table.awaitsCheckoutID(at: row), table.phone(at: row) == phone
            else { continue }
            if found != nil { return nil }
            found = row
        }
        return found
    }

    /// The payment a result names: by CheckoutRequestID (STK), else by ConversationID, else by the
    /// OriginatorConversationID a v3 payout carries (the payment's own id), so a result that beats Daraja's
    /// acknowledgement still finds its payout.
    static func paymentRow(darajaID: String, byCheckoutID: Bool, originatorID: String?, in state: TenantState) -> Int? {
        if byCheckoutID { return state.payments.row(forCheckoutRequestID: darajaID) }
        if let row = state.payments.row(forConversationID: darajaID) { return row }
        guard let originatorID, let id = try? PaymentID(parsing: originatorID), let row = state.payments.row(for: id),
            state.payments.type(at: row) == .b2c
        else { return nil }
        return row
    }

    /// The payment a result belongs to: by its Daraja ids (an STK result's CheckoutRequestID **and**
    /// MerchantRequestID must both be the payment's; a CheckoutRequestID two payments share names neither), or the
    /// one push whose answer was lost that it fits.
    static func resultRow(_ result: CallbackReading.PaymentResult, in state: TenantState) -> Int? {
        guard result.byCheckoutID else {
            return paymentRow(
                darajaID: result.darajaID, byCheckoutID: false, originatorID: result.originatorID, in: state)
        }
        let rows = state.payments.rows(forCheckoutRequestID: result.darajaID)
        guard let row = rows.first else { return pushWithLostAnswer(result, in: state) }
        guard rows.count == 1, merchantIDMatches(result, row: row, in: state) else { return nil }
        return row
    }

    static func isSharedCheckoutID(_ result: CallbackReading.PaymentResult, in state: TenantState) -> Bool {
        result.byCheckoutID && state.payments.rows(forCheckoutRequestID: result.darajaID).count > 1
    }

    /// Whether an STK result's MerchantRequestID is the payment's (a payment that has none, whose answer was
    /// lost, has nothing to compare).
    static func merchantIDMatches(_ result: CallbackReading.PaymentResult, row: Int, in state: TenantState) -> Bool {
        guard let own = state.payments.payment(at: row).merchantRequestID else { return true }
        return result.merchantRequestID == own
    }

    /// What a result journals about its payment: its settlement; nothing when it changes nothing (a duplicate or
    /// late result); or, for a success that does not prove itself (another payment holds its receipt, or its
    /// amount or full phone number is not the payment's), the payment turned `unknown` for a person, with an
    /// audit entry. A receipt is kept only for a success: a failed result's TransactionID names no money moved.
    ///
    /// One duplicate counts: a success that was settled without a receipt (reconciliation by STK query, which
    /// returns none) is settled again with the receipt a later result brings, unless another payment holds
    /// it; the state keeps the receipt and changes nothing else. A reversal needs that receipt. And a success
    /// with a receipt overturns a failure (`PaymentStatus.transition(to:receipt:)`) once it proves itself.
    static func settlement(
        _ result: CallbackReading.PaymentResult, of payment: Payment, source: TenantEvent.SettlementSource,
        in state: TenantState
    ) -> [TenantEvent] {
        let status = result.code.paymentStatus
        let receipt = status == .succeeded ? result.receipt : nil
        if status == .succeeded, let problem = unprovenSuccess(result, receipt: receipt, of: payment, in: state) {
            return flag(payment, problem.reason, problem.detail, source: source)
        }
        if status == .succeeded, payment.receiptPending, let receipt {
            return [.paymentSettled(.init(
                paymentID: payment.id, resultCode: result.code, resultDesc: result.desc, mpesaReceipt: receipt,
                transactionAtMs: result.atMs, source: source))]
        }
        guard payment.status.transition(to: status, receipt: receipt) == .changes else { return [] }
        // A reversal succeeds only while its original is not reversed yet: Daraja reverses a transaction once
        // (R000001), so a second success means another reversal was credited wrongly; a person must look.
        if payment.type == .reversal, status == .succeeded,
            let original = payment.originalPaymentID.flatMap({ try? PaymentID(parsing: $0) }),
            state.payment(id: original)?.status == .reversed
        {
            return []
        }
        return [.paymentSettled(.init(
            paymentID: payment.id, resultCode: result.code, resultDesc: result.desc, mpesaReceipt: receipt,
            transactionAtMs: result.atMs, source: source))]
    }

    /// Why a success is not proven to be `payment`'s, or nil when it is: its receipt is another payment's, its
    /// amount is not the payment's (a success overturning a failure must name its amount), or the full phone
    /// number it names is not the payment's.
    static func unprovenSuccess(
        _ result: CallbackReading.PaymentResult, receipt: String?, of payment: Payment, in state: TenantState
    ) -> (reason: AttentionReason, detail: String)? {
        // Without a receipt a success cannot overturn a final payment: it changes nothing, so needs no proof.
        if payment.status.isFinal && receipt == nil { return nil }
        if let receipt, case .heldBy(let holder)? = receiptConflict(receipt, for: payment, in: state) {
            return (.duplicateReceipt, "the success names receipt \(receipt), which payment \(holder) holds")
        }
        let amount = result.shillings.map { Amount(shillings: $0) } ?? result.amount
        if let amount, amount != payment.amount {
            return (.mismatch, "the success is for \(amount) KES, the payment asked for \(payment.amount) KES")
        }
        if amount == nil, payment.status.isFinal, payment.type != .reversal {
            return (.mismatch, "the success names no amount, so it cannot overturn a \(payment.status) payment")
        }
        if let phone = result.phone.map({ $0.filter(\.isNumber) }), phone.count == 12, phone != payment.phone {
            return (.mismatch, "the success is from phone \(phone), the payment asked \(payment.phone)")
        }
        return nil
    }

    /// `payment` turned `unknown` for `reason`, with an audit entry the operator sees, and counted in
    /// `pesa_payments_flagged_total`; nothing when it cannot become unknown (it succeeded, was reversed, or is
    /// unknown already).
    static func flag(
        _ payment: Payment, _ reason: AttentionReason, _ detail: String, source: TenantEvent.SettlementSource
    ) -> [TenantEvent] {
        guard payment.status.transition(to: .unknown) == .changes else { return [] }
        FlaggedPayments.count(reason)
        return [
            .paymentSettled(.init(
                paymentID: payment.id, status: .unknown, resultCode: reason.resultCode,
                resultDesc: detail, source: source)),
            .auditRecorded(.init(
                actor: "system", action: "payment.flagged.\(reason.rawValue)", target: payment.id.rawValue,
                requestID: "")),
        ]
    }

    /// The organization's active paybill or till that Daraja names `number` by, if any.
    static func collectingShortCode(_ number: String, in state: TenantState) -> ShortCodeRecord? {
        guard !number.isEmpty, number.allSatisfy(\.isASCIIDigit) else { return nil }
        return state.activeShortCode(named: number).flatMap { $0.kind.collects ? $0 : nil }
    }
}
