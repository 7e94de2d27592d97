import DarajaClient
import DarajaWire
public import Logging
public import PesaCore
public import ServiceLifecycle

/// Sends the rows of payout batches, paced: at most `rowsPerSecond` rows a second for the whole gateway
/// (Daraja's pace, `pesa serve --batch-rows-per-second`) and no faster than each organization's rate limit,
/// with at most `Limits.batchSendsInFlightMax` rows awaiting Daraja's acknowledgement at once. Each row goes
/// through the path of a single payout (`Gateway.initiate`), so every guard of a payout holds for it. Only
/// `queued` rows are sent, and a row leaves `queued` in the same journal line as its payout's intent: a row
/// whose send may have reached Daraja is never sent again after a crash, the reconciler's status query
/// settles it. It looks at every tenant once at start-up, then at the tenants in use and those with rows left.
public struct BatchSender: Service {
    let gateway: Gateway
    let rowsPerSecond: Int
    let tickMs: Int64
    let logger: Logger

    public init(gateway: Gateway, rowsPerSecond: Int, tickMs: Int64 = 200, logger: Logger) {
        self.gateway = gateway
        self.rowsPerSecond = rowsPerSecond
        self.tickMs = tickMs
        self.logger = logger
    }

    public func run() async throws {
        let pacer = BatchPacer(rowsPerSecond: Double(rowsPerSecond))
        var tenants = Set(gateway.registry.listings.map(\.id))
        var busy: Set<String> = []
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for tenant in tenants.union(busy).sorted() {
                guard let organization = try? OrganizationID(parsing: tenant) else { continue }
                let more = await gateway.sendBatchRows(organization, pacer: pacer, budget: max(rowsPerSecond, 1))
                if more { busy.insert(tenant) } else { busy.remove(tenant) }
            }
            if busy.isEmpty {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(tickMs)) }
            }
            tenants = Set(gateway.registry.loadedTenantIDs)
        }
    }
}

/// A queued row about to be sent, with what its payout needs.
struct BatchRowSend: Sendable {
    let batch: BatchID
    let index: Int
    let item: BatchItem
    let command: B2CCommand
}

extension Gateway {
    /// One pass over an organization's batches: expires approvals past their window, then sends at most `budget`
    /// queued rows. Whether rows are left to send.
    public func sendBatchRows(_ organization: OrganizationID, pacer: BatchPacer, budget: Int) async -> Bool {
        guard let engine = try? await engine(organization) else { return false }
        await expireApprovals(engine)
        let resent = await resendNotReceived(organization, engine: engine, pacer: pacer)
        guard
            let (batch, rows) = try? await engine.read(touch: false, { state in Self.queuedRows(state, max: budget) }),
            let batch, let principal = try? Principal(role: batch.createdByRole, organizationID: organization)
        else { return resent }
        // Rows are sent as the batch's creator: their role, and their API key's environment.
        let actor = Actor(
            principal: principal, id: batch.createdBy, requestID: "batch-" + batch.id.rawValue,
            keyEnvironment: batch.keyEnvironment)
        let initiator: InitiatorCall
        do throws(EngineError) {
            guard let profileID = batch.shortCodeID else {
                throw EngineError(.credentialsMissing, "the batch names no short code")
            }
            let profile = try await shortCodeProfile(id: profileID, in: organization)
            initiator = try initiatorCall(for: organization, profile: profile, by: actor)
        } catch {
            for row in rows { await failRow(row, error, engine: engine) }
            return true
        }
        let orgPacer = await organizationPacer(organization)
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for row in rows {
                if inFlight >= Limits.batchSendsInFlightMax {
                    await group.next()
                    inFlight -= 1
                }
                await pacer.wait()
                await orgPacer?.wait()
                group.addTask { await self.sendRow(row, initiator: initiator, actor: actor, engine: engine) }
                inFlight += 1
            }
        }
        return true
    }

    /// The organization's rate limit as a pace, when it is slower than any gateway would send.
    private func organizationPacer(_ organization: OrganizationID) async -> BatchPacer? {
        guard let limit = try? await rateLimit(of: organization), limit.perMinute > 0 else { return nil }
        return BatchPacer(rowsPerSecond: Double(limit.perMinute) / 60)
    }

    /// The oldest batch that may be sent and has queued rows, with at most `max` of them.
    static func queuedRows(_ state: TenantState, max: Int) -> (BatchRecord?, [BatchRowSend]) {
        for batch in state.batches.values.sorted(by: { $0.id < $1.id }) where batch.mayBeSent {
            let rows = batch.items.indices.lazy.filter { batch.items[$0].state == .queued }.prefix(max).map {
                BatchRowSend(batch: batch.id, index: $0, item: batch.items[$0], command: batch.command)
            }
            if !rows.isEmpty { return (batch, Array(rows)) }
        }
        return (nil, [])
    }

    /// One row through the single payout's path. A refusal before the intent was journaled (subscription, hard
    /// cap) fails the row, retryable; after it, the row follows its payout.
    func sendRow(_ row: BatchRowSend, initiator: InitiatorCall, actor: Actor, engine: TenantEngine) async {
        let id = PaymentID(randomBytes: CommandContext.randomBytes(16))
        var requested = TenantEvent.B2CRequested(
            paymentID: id, amount: row.item.amount, phone: row.item.phone, command: row.command,
            remarks: row.item.reference, batchID: row.batch)
        requested.batchItem = Int64(row.index)
        requested.shortCodeID = initiator.credentials.id
        let (batchID, index) = (row.batch, row.index)
        let shillings = row.item.amount.minorUnits / 100
        do throws(EngineError) {
            _ = try await initiate(
                .b2cRequested(requested), id: id, audit: "payment.payout", idempotency: nil, by: actor, engine: engine,
                check: { (state) throws(EngineError) in
                    guard let batch = state.batches[batchID], batch.mayBeSent, batch.items[index].state == .queued
                    else { throw EngineError(.conflict, "row \(index + 1) of batch \(batchID) is no longer queued") }
                }
            ) { (callbackBase) throws(DarajaError) in
                try await Self.sendB2C(
                    id: id, initiator: initiator, command: row.command, amount: shillings, phone: row.item.phone,
                    remarks: row.item.reference, occasion: nil, callbackBase: callbackBase)
            }
        } catch {
            await failRow(row, error, engine: engine)
        }
    }

    /// Sends again, under the same id, the payouts of rows marked `item_not_received` (a status query found no
    /// trace of them): `item_resent` is journaled first, then the request goes out. Daraja refuses a repeated
    /// `OriginatorConversationID`, so a first request that did arrive after all is not paid twice: that refusal
    /// leaves the payout to reconciliation. Whether any row was sent again.
    private func resendNotReceived(_ organization: OrganizationID, engine: TenantEngine, pacer: BatchPacer) async
        -> Bool
    {
        let due =
            (try? await engine.read(touch: false) { state in
                state.batches.values.filter(\.mayBeSent).flatMap { batch in
                    batch.items.indices.lazy.filter { batch.items[$0].notReceivedAtMs != nil }.map { (batch, $0) }
                }
            }) ?? []
        for (batch, index) in due {
            guard let id = batch.items[index].paymentIDs.last, let profileID = batch.shortCodeID else { continue }
            let resent = try? await engine.execute { (state, _) throws(EngineError) -> Decision<Bool> in
                guard let item = state.batches[batch.id]?.items[index], item.notReceivedAtMs != nil,
                    item.state == .sending, item.paymentIDs.last == id
                else { return Decision(value: false) }
                let change = TenantEvent.BatchChanged(
                    batchID: batch.id, change: .itemResent, actor: "system",
                    reason: "payout \(id) goes out again under the same id", item: Int64(index))
                return Decision(events: [.batchChanged(change)], value: true)
            }
            guard resent == true else { continue }
            await pacer.wait()
            await resend(id, row: batch.items[index], command: batch.command, profileID: profileID,
                organization: organization, engine: engine)
        }
        return !due.isEmpty
    }

    private func resend(
        _ id: PaymentID, row: BatchItem, command: B2CCommand, profileID: ShortCodeID, organization: OrganizationID,
        engine: TenantEngine
    ) async {
        do throws(EngineError) {
            let profile = try await shortCodeProfile(id: profileID, in: organization)
            let initiator = try initiatorCall(for: organization, profile: profile, by: nil)
            let base = try await callbackBase(engine)
            let accepted: TenantEvent.PaymentAccepted
            do throws(DarajaError) {
                accepted = try await Self.sendB2C(
                    id: id, initiator: initiator, command: command, amount: row.amount.minorUnits / 100,
                    phone: row.phone, remarks: row.reference, occasion: nil, callbackBase: base)
            } catch where error.darajaErrorCode == DarajaErrorCode.duplicateOriginatorConversationID {
                // The first request did reach Daraja: its status query settles the payout.
                let attempt = try await payment(id, engine: engine).reconcileAttempts + 1
                let noted = TenantEvent.reconciliationAttempted(.init(
                    paymentID: id, attempt: Int64(attempt), outcome: .stillPending,
                    detail: "Daraja already holds this payout (duplicate OriginatorConversationID): it is queried"))
                try await engine.execute { (_, _) throws(EngineError) in Decision(events: [noted], value: ()) }
                return
            } catch {
                try await recordUpstreamFailure(error, payment: id, engine: engine)
                return
            }
            _ = try await recordAcceptance(accepted, engine: engine)
        } catch {
            logger.warning("payout \(id) could not go out again: \(error.message)")
        }
    }

    /// Journals `item_failed` for a row still queued (a row that went out meanwhile follows its payout).
    private func failRow(_ row: BatchRowSend, _ error: EngineError, engine: TenantEngine) async {
        let (batchID, index) = (row.batch, row.index)
        _ = try? await engine.execute { (state, _) throws(EngineError) -> Decision<Void> in
            guard let batch = state.batches[batchID], batch.mayBeSent, batch.items[index].state == .queued else {
                return Decision(value: ())
            }
            return Decision(
                events: [
                    .batchChanged(
                        .init(
                            batchID: batchID, change: .itemFailed, actor: "system",
                            reason: String(error.message.prefix(300)),
                            item: Int64(index), errorCode: error.apiCode))
                ], value: ())
        }
    }

    /// Batches awaiting approval past `approval_expires_at_ms` become `expired`.
    private func expireApprovals(_ engine: TenantEngine) async {
        let nowMs = clock.nowMs()
        let anyDue =
            (try? await engine.read(touch: false) { state in
                state.batches.values.contains { $0.review == .pending && ($0.approvalExpiresAtMs ?? .max) <= nowMs }
            }) ?? false
        guard anyDue else { return }
        _ = try? await engine.execute { (state, context) throws(EngineError) -> Decision<Void> in
            let due = state.batches.values.filter {
                $0.review == .pending && ($0.approvalExpiresAtMs ?? .max) <= context.nowMs
            }
            return Decision(
                events: due.map {
                    .batchChanged(
                        .init(
                            batchID: $0.id, change: .expired, actor: "system", reason: "no approval within 24 hours"))
                }, value: ())
        }
    }
}

extension EngineError {
    /// The code a batch row records for a refusal before sending (the API's spelling of it).
    var apiCode: String {
        switch code {
        case .subscriptionInactive: "SUBSCRIPTION_INACTIVE"
        case .credentialsMissing: "CREDENTIALS_MISSING"
        case .keyEnvironmentMismatch: "KEY_ENVIRONMENT_MISMATCH"
        case .upstreamUnavailable: "UPSTREAM_UNAVAILABLE"
        case .upstreamError: "UPSTREAM_ERROR"
        case .storageUnavailable: "STORAGE_UNAVAILABLE"
        case .forbidden: "FORBIDDEN"
        default: "NOT_SENT"
        }
    }
}
