import DarajaSandbox
import Foundation
import PesaCore
import PesaTesting
import Testing

@testable import PesaEngine

/// A batch row whose payout intent was journaled when the process died: if the request never reached Daraja
/// (a status query, asked long enough after, finds no trace of it), the same payout goes out again under the
/// same id and the row is paid once; if it did reach Daraja, Daraja refuses the repeated id and nothing is
/// paid twice.
@Suite struct PayoutBatchRecoveryTests {
    static let start: Int64 = 1_780_000_000_000

    /// A one-row batch whose row's intent is journaled as the sender journals it, and nothing sent (the kill).
    static func rowCutBeforeDaraja(_ harness: PaymentsHarness, phone: String) async throws
        -> (batch: BatchID, payout: PaymentID)
    {
        let created = try await harness.gateway.createPayoutBatch(
            PayoutBatchTests.batch(PayoutBatchTests.rows([phone], amount: 150)), in: harness.organization,
            idempotency: nil, by: harness.admin)
        let batch = created.batch
        let id = PaymentID(randomBytes: CommandContext.randomBytes(16))
        var requested = TenantEvent.B2CRequested(
            paymentID: id, amount: batch.items[0].amount, phone: batch.items[0].phone, command: batch.command,
            remarks: batch.items[0].reference, batchID: batch.id)
        requested.batchItem = 0
        requested.shortCodeID = batch.shortCodeID
        let intent = TenantEvent.b2cRequested(requested)
        let engine = try await harness.gateway.engine(harness.organization)
        try await engine.execute { (_, _) throws(EngineError) in Decision(events: [intent], value: ()) }
        return (batch.id, id)
    }

    static func row(_ batch: BatchID, _ harness: PaymentsHarness) async throws -> BatchItem {
        try await harness.gateway.payoutBatch(batch, in: harness.organization, by: harness.admin).items[0]
    }

    @Test func aRowCutBeforeItReachedDarajaGoesOutAgainUnderTheSameIdAndIsPaidOnce() async throws {
        let clock = SettableClock(Self.start)
        try await PaymentsHarness.run(reconcileAfterMs: 1_000, clock: clock) { harness in
            let (batch, id) = try await Self.rowCutBeforeDaraja(harness, phone: "254708300001")
            let pacer = BatchPacer(rowsPerSecond: 1000)
            #expect(!(await harness.gateway.sendBatchRows(harness.organization, pacer: pacer, budget: 10)))
            #expect(try await Self.row(batch, harness).state == .sending)

            // Asked 2 s after the send: "no such transaction" is too early to mean anything.
            clock.set(Self.start + 2_000)
            await harness.gateway.reconcile(harness.organization)
            _ = try await harness.deliverCallbacks(.statusResult, count: 1)
            #expect(try await Self.row(batch, harness).notReceivedAtMs == nil)
            #expect(!(await harness.gateway.sendBatchRows(harness.organization, pacer: pacer, budget: 10)))

            // Asked 6 s after it (five times the reconcile delay): the request never arrived.
            clock.set(Self.start + 6_000)
            await harness.gateway.reconcile(harness.organization)
            _ = try await harness.deliverCallbacks(.statusResult, count: 2)
            #expect(try await Self.row(batch, harness).notReceivedAtMs == Self.start + 6_000)

            #expect(await harness.gateway.sendBatchRows(harness.organization, pacer: pacer, budget: 10))
            let resent = try await Self.row(batch, harness)
            #expect(resent.state == .sent)
            #expect(resent.resends == 1 && resent.notReceivedAtMs == nil)
            #expect(resent.paymentIDs == [id])
            _ = try await harness.deliverCallbacks(.b2cResult, count: 1)
            let paid = try await Self.row(batch, harness)
            #expect(paid.state == .succeeded)
            #expect(paid.receipt != nil)
            let payment = try await harness.payment(id)
            #expect(payment.status == .succeeded && payment.amount == Amount(minorUnits: 15_000))
            // Nothing is left to send, and a later "no trace" answer about it changes nothing.
            #expect(!(await harness.gateway.sendBatchRows(harness.organization, pacer: pacer, budget: 10)))
            let settled = try await harness.gateway.payoutBatch(batch, in: harness.organization, by: harness.admin)
            #expect(settled.status == .completed)
        }
    }

    @Test func aRowWhoseFirstRequestDidReachDarajaIsNotPaidAgain() async throws {
        let clock = SettableClock(Self.start)
        try await PaymentsHarness.run(reconcileAfterMs: 1_000, clock: clock) { harness in
            // 254700000001: the sandbox takes the request and fails it (result 1), keeping no transaction, so a
            // status query finds nothing even though the request arrived.
            let (batch, id) = try await Self.rowCutBeforeDaraja(harness, phone: "254700000001")
            let engine = try await harness.gateway.engine(harness.organization)
            let profile = try await harness.gateway.shortCodeProfile(
                id: try #require(try await harness.gateway.payoutBatch(
                    batch, in: harness.organization, by: harness.admin
                ).shortCodeID), in: harness.organization)
            let initiator = try harness.gateway.initiatorCall(for: harness.organization, profile: profile, by: nil)
            let base = try await harness.gateway.callbackBase(engine)
            // The request reaches Daraja; its acknowledgement and result are lost with the process.
            _ = try await Gateway.sendB2C(
                id: id, initiator: initiator, command: .businessPayment, amount: 150,
                phone: try MSISDN("254700000001"), remarks: "Pay 0", occasion: nil, callbackBase: base)

            clock.set(Self.start + 6_000)
            await harness.gateway.reconcile(harness.organization)
            _ = try await harness.deliverCallbacks(.statusResult, count: 1)
            #expect(try await Self.row(batch, harness).notReceivedAtMs != nil)
            let pacer = BatchPacer(rowsPerSecond: 1000)
            _ = await harness.gateway.sendBatchRows(harness.organization, pacer: pacer, budget: 10)

            // Daraja refused the repeated OriginatorConversationID: the payout waits for reconciliation.
            let row = try await Self.row(batch, harness)
            #expect(row.state == .sending && row.resends == 1 && row.notReceivedAtMs == nil)
            let payment = try await harness.payment(id)
            #expect(payment.status == .pending && payment.conversationID == nil)
            #expect(!(await harness.gateway.sendBatchRows(harness.organization, pacer: pacer, budget: 10)))
            // The first request's own result, when it comes, settles the row.
            _ = try await harness.deliverCallbacks(.b2cResult, count: 1)
            let failed = try await Self.row(batch, harness)
            #expect(failed.state == .failed && failed.errorCode == "1" && failed.retryable)
        }
    }
}
