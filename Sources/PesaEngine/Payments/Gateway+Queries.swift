import DarajaClient
import DarajaWire
public import PesaCore

/// `POST /v1/transaction-status`, before validation: a receipt, or one of the organization's payments.
public struct TransactionStatusParameters: Sendable {
    public var mpesaReceipt: String?
    public var paymentID: String?
    /// The profile to ask with (its number or `sc_…` id); nil: the payment's own, else the default.
    public var shortCode: String?

    public init(mpesaReceipt: String?, paymentID: String?, shortCode: String? = nil) {
        self.mpesaReceipt = mpesaReceipt
        self.paymentID = paymentID
        self.shortCode = shortCode
    }
}

/// An organization's last known balances (GET /v1/balance).
public struct BalanceView: Sendable {
    public let accounts: [BalanceRecord]
    /// The newest `as_of` of the accounts; nil when no balance check has answered yet.
    public let asOfMs: Int64?
    /// The latest balance check, if any (pending, completed or failed).
    public let latestCheck: QueryRecord?
}

extension Gateway {
    /// Asks Daraja for the balances of one short code (`shortCode`, else the default B2C one). The answer
    /// comes to the organization's `balance/result` URL and updates GET /v1/balance.
    public func balanceCheck(shortCode: String? = nil, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> QueryRecord
    {
        try actor.authorize(.createBalanceCheck, in: organization)
        return try await sendQuery(.balance, reason: .api, shortCode: shortCode, in: organization, by: actor)
    }

    /// Asks Daraja for the status of one transaction: by M-Pesa receipt, or one of the organization's payments
    /// (by its receipt, else by its conversation id). A pending or unknown payment is settled by the answer.
    public func transactionStatus(
        _ input: TransactionStatusParameters, in organization: OrganizationID, by actor: Actor
    ) async throws(EngineError) -> QueryRecord {
        try actor.authorize(.createTransactionStatusQuery, in: organization)
        let (receipt, paymentID) = try Self.receiptOrPaymentID(input.mpesaReceipt, input.paymentID)
        let engine = try await self.engine(organization)
        let target = try await engine.read { (state) throws(EngineError) -> StatusTarget in
            if let paymentID {
                guard let payment = state.payment(id: paymentID) else { throw EngineError.notFound("payment") }
                try Self.checkReceipt(receipt, isFor: payment, in: state)
                return try Self.statusTarget(for: payment, receipt: receipt)
            }
            let payment = receipt.flatMap { state.payments.row(forReceipt: $0) }.map { state.payments.payment(at: $0) }
            return StatusTarget(paymentID: payment?.id, receipt: receipt, conversationID: nil)
        }
        // A receipt of no payment of this organization may be money it has not heard of (a lost C2B
        // confirmation), but never another organization's: that is refused as a reversal of it would be.
        if target.paymentID == nil, let receipt,
            await receiptBelongsToAnotherOrganization(receipt, than: organization)
        {
            throw EngineError.notFound("payment with this M-Pesa receipt")
        }
        return try await sendQuery(
            .transactionStatus, reason: .api, target: target, shortCode: input.shortCode, in: organization, by: actor)
    }

    /// Whether an organization of this instance other than `organization` holds `receipt` (every tenant is
    /// looked at, opened if it is not yet: a status query by a receipt the caller does not hold is rare).
    func receiptBelongsToAnotherOrganization(_ receipt: String, than organization: OrganizationID) async -> Bool {
        for listing in registry.listings where listing.id != organization.rawValue {
            guard let other = try? OrganizationID(parsing: listing.id), let engine = try? await engine(other) else {
                continue
            }
            if (try? await engine.read({ state in state.payments.row(forReceipt: receipt) != nil })) == true {
                return true
            }
        }
        return false
    }

    /// One query of the organization (either kind), with its result once it came.
    public func query(_ id: QueryID, kind: QueryKind, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> QueryRecord
    {
        try actor.authorize(kind == .balance ? .readBalance : .createTransactionStatusQuery, in: organization)
        return try await engine(organization).read { (state) throws(EngineError) in
            guard let query = state.query(id: id), query.kind == kind else { throw EngineError.notFound("query") }
            return query
        }
    }

    /// The last known balance of each account, with when Daraja reported it: of every profile, or of the one
    /// `shortCode` names (deleted ones too: their last balance stays readable).
    public func balances(shortCode: String? = nil, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> BalanceView
    {
        try actor.authorize(.readBalance, in: organization)
        return try await engine(organization).read { (state) throws(EngineError) in
            let profile = try shortCode.map { (name) throws(EngineError) in
                try Self.anyShortCode(named: name, in: state, field: "short_code").id
            }
            let accounts = state.balances.values.filter { profile == nil || $0.shortCodeID == profile }
                .sorted { ($0.shortCodeID?.rawValue ?? "", $0.account) < ($1.shortCodeID?.rawValue ?? "", $1.account) }
            let latest = state.queries.values
                .filter { $0.kind == .balance && (profile == nil || $0.shortCodeID == profile) }
                .max { $0.createdAtMs < $1.createdAtMs }
            return BalanceView(accounts: accounts, asOfMs: accounts.map(\.asOfMs).max(), latestCheck: latest)
        }
    }

    /// A profile a read names (filters of lists and balances): active ones by number or id, deleted ones by id
    /// or by a number no active profile holds.
    static func anyShortCode(named name: String, in state: TenantState, field: String) throws(EngineError)
        -> ShortCodeRecord
    {
        let name = name.trimmingWhitespace()
        if let active = state.activeShortCode(named: name) { return active }
        if let id = try? ShortCodeID(parsing: name), let record = state.shortCodes[id] { return record }
        let deleted = state.shortCodes.values.filter { $0.answers(to: name) }.max { $0.updatedAtMs < $1.updatedAtMs }
        guard let deleted else { throw EngineError.invalid(field, "this organization holds no short code \"\(name)\"") }
        return deleted
    }

    /// What a transaction-status query names.
    struct StatusTarget: Sendable {
        var paymentID: PaymentID?
        var receipt: String?
        var conversationID: String?
    }

    /// Why `receipt` cannot be `payment`'s: the payment has another receipt of its own, or (while it has
    /// none) another payment holds this one. Nil when it can be.
    enum ReceiptConflict: Equatable, Sendable {
        case ownIs(String)
        case heldBy(PaymentID)
    }

    static func receiptConflict(_ receipt: String, for payment: Payment, in state: TenantState) -> ReceiptConflict? {
        if let own = payment.mpesaReceipt { return own == receipt ? nil : .ownIs(own) }
        guard let row = state.payments.row(forReceipt: receipt) else { return nil }
        let holder = state.payments.payment(at: row).id
        return holder == payment.id ? nil : .heldBy(holder)
    }

    /// A receipt given with a payment id must be that payment's (`receiptConflict`). Otherwise Daraja would be
    /// asked about another transaction on this payment's behalf.
    static func checkReceipt(_ receipt: String?, isFor payment: Payment, in state: TenantState) throws(EngineError) {
        guard let receipt, payment.type != .reversal else { return }
        switch receiptConflict(receipt, for: payment, in: state) {
        case nil:
            return
        case .ownIs(let own)?:
            throw EngineError.invalid(
                "mpesa_receipt",
                "payment \(payment.id) has M-Pesa receipt \(own), not \(receipt); leave mpesa_receipt out")
        case .heldBy(let other)?:
            throw EngineError.invalid(
                "mpesa_receipt", "M-Pesa receipt \(receipt) is payment \(other)'s, not \(payment.id)'s")
        }
    }

    /// How to ask about a payment: a reversal by the receipt it reverses (its status tells whether it was
    /// reversed), others by their receipt, else a payout by its OriginatorConversationID, as Daraja's
    /// Transaction Status API documentation says to query B2C (the one Daraja echoed, or the payment's own id,
    /// which a v3 payout sends, when the acknowledgement was lost), so a payout is asked about the same way
    /// whether or not the acknowledgement came.
    static func statusTarget(for payment: Payment, receipt: String?) throws(EngineError) -> StatusTarget {
        switch payment.type {
        case .reversal:
            return StatusTarget(paymentID: payment.id, receipt: payment.reversedReceipt, conversationID: nil)
        case .b2c:
            return StatusTarget(
                paymentID: payment.id, receipt: receipt ?? payment.mpesaReceipt,
                conversationID: payment.originatorConversationID ?? payment.id.rawValue)
        case .stkPush where receipt == nil && payment.mpesaReceipt == nil && payment.checkoutRequestID != nil:
            // A success settled by STK query has no receipt yet: Daraja is asked by its CheckoutRequestID.
            return StatusTarget(paymentID: payment.id, receipt: nil, conversationID: payment.checkoutRequestID)
        case .stkPush, .c2b:
            guard let known = receipt ?? payment.mpesaReceipt else {
                throw EngineError(
                    .conflict,
                    "payment \(payment.id) has no M-Pesa receipt to ask about; an STK push is settled by STK query")
            }
            return StatusTarget(paymentID: payment.id, receipt: known, conversationID: nil)
        }
    }

    /// Whether `transactionStatus` can ask Daraja about `payment` by its id alone (it has a receipt, or is a
    /// payout, a reversal or an STK push Daraja knows by its id).
    public static func statusCanBeAsked(about payment: Payment) -> Bool {
        (try? statusTarget(for: payment, receipt: nil)) != nil
    }

    /// Sends a query and journals it with Daraja's acknowledgement (a query moves no money, so nothing is
    /// journaled before the call). A result that beat the acknowledgement is applied with it.
    func sendQuery(
        _ kind: QueryKind, reason: TenantEvent.QueryReason, target: StatusTarget = StatusTarget(),
        shortCode name: String? = nil, in organization: OrganizationID, by actor: Actor?
    ) async throws(EngineError) -> QueryRecord {
        let engine = try await self.engine(organization)
        let initiator = try await queryCall(target: target, named: name, in: organization, engine: engine, by: actor)
        let base = try await callbackBase(engine)
        let credentials = initiator.credentials
        let id = QueryID(randomBytes: CommandContext.randomBytes(16))
        let acknowledgement: InitiatorAcknowledgement
        do throws(DarajaError) {
            switch kind {
            case .balance:
                acknowledgement = try await initiator.client.accountBalance(AccountBalanceRequest(
                    initiator: credentials.initiatorName, securityCredential: initiator.securityCredential,
                    partyA: FlexibleString(numberIfPossible: credentials.shortCode), identifierType: "4",
                    remarks: "Balance check", queueTimeOutURL: base + "/balance/timeout",
                    resultURL: base + "/balance/result"))
            case .transactionStatus:
                acknowledgement = try await initiator.client.transactionStatus(TransactionStatusRequest(
                    initiator: credentials.initiatorName, securityCredential: initiator.securityCredential,
                    transactionID: target.receipt,
                    originalConversationID: target.receipt == nil ? target.conversationID : nil,
                    partyA: FlexibleString(numberIfPossible: credentials.shortCode), identifierType: "4",
                    resultURL: base + "/status/result",
                    queueTimeOutURL: base + "/status/timeout", remarks: "Transaction status",
                    occasion: id.rawValue))
            }
        } catch {
            throw Self.requestFailure(error, what: "the query")
        }
        var sent = TenantEvent.QuerySent(
            queryID: id, kind: kind, reason: reason, conversationID: acknowledgement.conversationID,
            originatorConversationID: acknowledgement.originatorConversationID, paymentID: target.paymentID,
            mpesaReceipt: target.receipt)
        sent.shortCodeID = credentials.id
        let frozenSent = sent
        let notReceivedAfterMs = payments.notReceivedAfterMs
        try await engine.execute { (state, context) throws(EngineError) in
            var events: [TenantEvent] = [.querySent(frozenSent)]
            if let actor { events.append(actor.audit("query.\(kind.rawValue)", target: id.rawValue)) }
            if case .queryResult(let early)? = engine.takeEarlyResult(darajaID: frozenSent.conversationID) {
                events += Self.queryResultEvents(
                    early, queryID: id, kind: kind, paymentID: target.paymentID, shortCodeID: frozenSent.shortCodeID,
                    state: state, nowMs: context.nowMs, notReceivedAfterMs: notReceivedAfterMs)
            }
            return Decision(events: events, value: ())
        }
        return try await engine.read { (state) throws(EngineError) in
            guard let query = state.query(id: id) else { throw EngineError.notFound("query") }
            return query
        }
    }

    /// The profile a query asks with: the payment's own when it holds an initiator (Daraja answers about a
    /// transaction to the short code it went through), else the one `name` names, else the default.
    private func queryCall(
        target: StatusTarget, named name: String?, in organization: OrganizationID, engine: TenantEngine,
        by actor: Actor?
    ) async throws(EngineError) -> InitiatorCall {
        let own = try await engine.read { state in
            target.paymentID.flatMap { state.payment(id: $0)?.shortCodeID }.flatMap { state.shortCodes[$0] }
        }
        // A deleted profile's secrets leave the vault: the default asks instead.
        if let own, name == nil, !own.isDeleted, ShortCodeUse.query.refusal(of: own) == nil {
            return try initiatorCall(for: organization, profile: try await profile(own, engine: engine), by: actor)
        }
        return try await initiatorCall(for: organization, named: name, use: .query, by: actor)
    }
}

extension Gateway {
    /// The profile a list's `short_code` filter names (deleted ones too), or a 422 naming the field.
    public func shortCodeFilter(_ name: String, in organization: OrganizationID) async throws(EngineError)
        -> ShortCodeID
    {
        try await engine(organization).read { (state) throws(EngineError) in
            try Self.anyShortCode(named: name, in: state, field: "short_code").id
        }
    }
}
