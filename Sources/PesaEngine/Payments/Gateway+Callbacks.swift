public import PesaCore

/// How the API answers a Daraja callback.
public enum CallbackAnswer: Sendable, Equatable {
    /// Durable: answer `{"ResultCode": 0, "ResultDesc": "Accepted"}`.
    case accepted
    /// Wrong slug or token: 404, nothing written.
    case notFound
    /// Kept raw, but not a body of this kind: 400.
    case malformed(String)
}

extension Gateway {
    /// Journals a Daraja callback raw, then what it means, in one durable step: a result settles its payment
    /// once (duplicates and late results are recorded and change nothing), an unknown id is an orphan, a C2B
    /// confirmation becomes a `c2b` payment. Only the organization whose URL (slug and token) it came to is
    /// touched.
    public func receiveCallback(slug: String, token: String, kind: CallbackKind, body: [UInt8])
        async throws(EngineError) -> CallbackAnswer
    {
        guard let listing = registry.listing(slug: slug), let organization = try? OrganizationID(parsing: listing.id) else {
            return .notFound
        }
        let engine = try await self.engine(organization)
        let reading = CallbackReading.read(body, kind: kind)
        let raw = String(decoding: body, as: UTF8.self)
        let newID = PaymentID(randomBytes: CommandContext.randomBytes(16))
        let answer = try await engine.execute { (state, _) throws(EngineError) -> Decision<CallbackAnswer> in
            guard let expected = state.organization?.callbackToken, Self.constantTimeEqual(expected, token) else {
                return Decision(value: .notFound)
            }
            return Self.decide(reading, kind: kind, raw: raw, state: state, newID: newID, engine: engine)
        }
        return answer
    }

    static func decide(
        _ reading: CallbackReading, kind: CallbackKind, raw: String, state: TenantState, newID: PaymentID,
        engine: TenantEngine
    ) -> Decision<CallbackAnswer> {
        func received(_ disposition: TenantEvent.CallbackDisposition, _ id: PaymentID? = nil) -> TenantEvent {
            .callbackReceived(.init(kind: kind, body: raw, disposition: disposition, paymentID: id))
        }
        switch reading {
        case .malformed(let why):
            return Decision(events: [received(.malformed)], value: .malformed(why))
        case .result(let darajaID, let byCheckoutID, let code, let desc, let receipt, let atMs):
            let row = byCheckoutID
                ? state.payments.row(forCheckoutRequestID: darajaID) : state.payments.row(forConversationID: darajaID)
            guard let row else {
                if byCheckoutID {
                    engine.rememberEarlyResult(checkoutID: darajaID, code: code, desc: desc, receipt: receipt, atMs: atMs)
                }
                return Decision(events: [received(.orphan)], value: .accepted)
            }
            let payment = state.payments.payment(at: row)
            var events = [received(.matched, payment.id)]
            if payment.status.transition(to: code.paymentStatus) == .changes {
                events.append(.paymentSettled(.init(
                    paymentID: payment.id, resultCode: code, resultDesc: desc, mpesaReceipt: receipt,
                    transactionAtMs: atMs, source: .callback)))
            }
            return Decision(events: events, value: .accepted)
        case .c2bConfirmation(let receipt, let amount, let phone, let reference, let atMs):
            guard state.payments.row(forReceipt: receipt) == nil else {
                return Decision(events: [received(.informational)], value: .accepted)
            }
            let created = TenantEvent.c2bReceived(.init(
                paymentID: newID, amount: Amount(shillings: amount), phone: phone, mpesaReceipt: receipt,
                accountReference: String(reference.prefix(100)), transactionAtMs: atMs))
            return Decision(events: [received(.informational), created], value: .accepted)
        case .timeout(let darajaID):
            // The request timed out in Daraja's queue: its outcome is unknown; reconciliation asks.
            let row = state.payments.row(forConversationID: darajaID)
            let event = row.map { received(.matched, state.payments.payment(at: $0).id) } ?? received(.orphan)
            return Decision(events: [event], value: .accepted)
        case .c2bValidation, .informational:
            return Decision(events: [received(.informational)], value: .accepted)
        }
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
