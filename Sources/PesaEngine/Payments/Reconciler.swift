import DarajaClient
import DarajaWire
public import Logging
public import PesaCore
public import ServiceLifecycle

/// Settles payments whose callback never came: a payment still pending `reconcileAfterMs` after it was
/// requested is asked about (STK query; transaction status for payouts and reversals), again with growing
/// gaps, and after `reconcileAttemptsMax` queries without an answer it becomes `unknown`, flagged for a
/// person, never silently dropped. It first looks at every tenant once (so pending payments resume after a
/// restart), then at the tenants in use.
public struct Reconciler: Service {
    let gateway: Gateway
    let tickMs: Int64
    let logger: Logger

    public init(gateway: Gateway, tickMs: Int64 = 5_000, logger: Logger) {
        self.gateway = gateway
        self.tickMs = tickMs
        self.logger = logger
    }

    public func run() async throws {
        var tenants = gateway.registry.listings.map(\.id)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for tenant in tenants {
                guard let organization = try? OrganizationID(parsing: tenant) else { continue }
                await gateway.reconcile(organization)
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(tickMs)) }
            tenants = gateway.registry.loadedTenantIDs
        }
    }
}

extension Gateway {
    /// One reconciliation pass over an organization's payments that are due: pending ones, and successes whose
    /// receipt is still being looked up.
    public func reconcile(_ organization: OrganizationID) async {
        guard let engine = try? await engine(organization) else { return }
        let settings = payments
        let nowMs = clock.nowMs()
        let due =
            (try? await engine.read(touch: false) { state in
                Self.duePayments(state, nowMs: nowMs, settings: settings)
            }) ?? []
        guard !due.isEmpty else { return }
        var profiles: [ShortCodeID: ShortCodeProfile] = [:]
        for payment in due {
            if payment.receiptPending {
                await lookUpReceipt(of: payment, engine: engine, organization: organization)
                continue
            }
            var credentials: ShortCodeProfile?
            if payment.type == .stkPush {
                if let id = payment.shortCodeID, profiles[id] == nil {
                    profiles[id] = try? await shortCodeProfile(id: id, in: organization)
                }
                credentials = payment.shortCodeID.flatMap { profiles[$0] }
            }
            let event = await reconciliationEvent(
                for: payment, credentials: credentials, engine: engine, organization: organization)
            let id = payment.id
            let settled = try? await engine.execute { (state, _) throws(EngineError) -> Decision<Bool> in
                guard state.payment(id: id)?.status == .pending || state.payment(id: id)?.status == .unknown else {
                    return Decision(value: false)  // settled meanwhile (a late callback)
                }
                return Decision(events: [event], value: true)
            } thenRead: { (state, _) throws(EngineError) -> Payment? in state.payment(id: id) }
            // A success the STK query settled names no receipt: look it up at once (a reversal needs it).
            if let settled = settled ?? nil, settled.receiptPending {
                await lookUpReceipt(of: settled, engine: engine, organization: organization)
            }
        }
    }

    /// Asks Daraja for the receipt of a success settled by STK query (transaction status by its
    /// CheckoutRequestID); the answer's `status/result` callback fills it in.
    private func lookUpReceipt(of payment: Payment, engine: TenantEngine, organization: OrganizationID) async {
        let event = await askTransactionStatus(
            about: payment, attempt: Int64(payment.reconcileAttempts + 1), organization: organization)
        let id = payment.id
        _ = try? await engine.execute { (state, _) throws(EngineError) in
            guard state.payment(id: id)?.receiptPending == true else { return Decision(value: ()) }
            return Decision(events: [event], value: ())
        }
    }

    /// Payments whose next query is due (`PaymentSettings.nextReconcileAtMs`), the longest overdue first, at
    /// most 100. Looks at the pending payments and the successes awaiting a receipt only, column by column,
    /// and reads a whole payment only when it is due: this runs under the state's lock, however many payments
    /// the organization has made.
    static func duePayments(_ state: TenantState, nowMs: Int64, settings: PaymentSettings) -> [Payment] {
        var due: [Payment] = []
        let table = state.payments
        let rows = [table.pendingRowsOldestFirst.lazy.map { $0 }, table.receiptPendingRowsOldestFirst.lazy.map { $0 }]
        for row in rows.joined() {
            if table.awaitsReceipt(at: row), table.createdAtMs(at: row) + Limits.receiptLookupWindowMs < nowMs {
                continue
            }
            guard let dueAt = settings.nextReconcileAtMs(
                createdAtMs: table.createdAtMs(at: row), attempts: table.reconcileAttempts(at: row),
                awaitsCheckoutID: table.type(at: row) == .stkPush && table.awaitsCheckoutID(at: row),
                awaitsReceipt: table.awaitsReceipt(at: row)),
                dueAt <= nowMs
            else { continue }
            due.append(table.payment(at: row))
            if due.count >= 100 { break }
        }
        return due
    }

    private func reconciliationEvent(
        for payment: Payment, credentials: ShortCodeProfile?, engine: TenantEngine, organization: OrganizationID
    ) async -> TenantEvent {
        let attempt = Int64(payment.reconcileAttempts + 1)
        if payment.type == .stkPush && payment.checkoutRequestID == nil {
            // No id to query with; its callback can still settle it (`pushWithLostAnswer`) while the customer
            // may still answer the prompt, so it waits that long before a person is asked to look, however
            // many passes (attempts) that takes.
            if clock.nowMs() - payment.createdAtMs < payments.lostPushAnswerWaitMs {
                return .reconciliationAttempted(.init(
                    paymentID: payment.id, attempt: attempt, outcome: .stillPending,
                    detail: "Daraja's answer to the push was lost: waiting for its callback"))
            }
            return .paymentSettled(.init(
                paymentID: payment.id, status: .unknown, resultCode: AttentionReason.lostAnswer.resultCode,
                resultDesc: "Daraja's answer to the push was lost, so it cannot be queried: a person must check",
                source: .reconciliation))
        }
        if Int(attempt) > payments.reconcileAttemptsMax {
            return .paymentSettled(.init(
                paymentID: payment.id, status: .unknown, resultCode: AttentionReason.unresolved.resultCode,
                resultDesc:
                    "no result after \(payments.reconcileAttemptsMax) queries: a person must check with Safaricom",
                source: .reconciliation))
        }
        if payment.type == .b2c || payment.type == .reversal {
            return await askTransactionStatus(about: payment, attempt: attempt, organization: organization)
        }
        guard payment.type == .stkPush, let checkoutID = payment.checkoutRequestID, let credentials,
            let client = try? upstreamClient(for: organization, profile: credentials)
        else {
            return .reconciliationAttempted(.init(
                paymentID: payment.id, attempt: attempt, outcome: .error,
                detail: "no Daraja id or credentials to query with"))
        }
        do {
            let status = try await client.stkQuery(
                businessShortCode: credentials.shortCode, passkey: DarajaSecret(credentials.passkey),
                checkoutRequestID: checkoutID)
            switch status {
            case .pending:
                return .reconciliationAttempted(.init(paymentID: payment.id, attempt: attempt, outcome: .stillPending))
            case .completed(let response):
                return .paymentSettled(.init(
                    paymentID: payment.id, resultCode: ResultCode(response.resultCode.text),
                    resultDesc: response.resultDesc, source: .query))
            }
        } catch {
            return .reconciliationAttempted(.init(
                paymentID: payment.id, attempt: attempt, outcome: .error, detail: String(error.message.prefix(200))))
        }
    }

    /// A payout or reversal is asked about with a transaction-status query; its answer (a `status/result`
    /// callback) settles the payment.
    private func askTransactionStatus(about payment: Payment, attempt: Int64, organization: OrganizationID) async
        -> TenantEvent
    {
        do throws(EngineError) {
            let target = try Self.statusTarget(for: payment, receipt: nil)
            let query = try await sendQuery(
                .transactionStatus, reason: .reconciliation, target: target, in: organization, by: nil)
            return .reconciliationAttempted(.init(
                paymentID: payment.id, attempt: attempt, outcome: .queried,
                detail: "transaction status query \(query.id)"))
        } catch {
            return .reconciliationAttempted(.init(
                paymentID: payment.id, attempt: attempt, outcome: .error, detail: String(error.message.prefix(200))))
        }
    }
}
