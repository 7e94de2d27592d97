import PesaCore
import Testing

/// The rules data-layout.md gives for times, journal ranges and counters in the state: which events set a
/// payment's and the organization's `updated_at_ms`, which lines a payment's `last_event_span` reaches, what
/// each counter counts, and what `payment.upstream_failed` does to a pending payment.
@Suite struct StateTimesAndCountersTests {
    /// `applyAll` journals seq n at this time.
    func at(_ seq: UInt64) -> Int64 { 1_700_000_000_000 + Int64(seq) * 1000 }

    func started() throws -> TenantState {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated])
        return state
    }

    func callback(_ seed: UInt64?, _ disposition: TenantEvent.CallbackDisposition) -> TenantEvent {
        .callbackReceived(
            .init(kind: .stk, body: "{}", disposition: disposition, paymentID: seed.map(Fixtures.paymentID)))
    }

    @Test func onlyAcceptanceAndChangingSettlementsSetAPaymentsUpdatedAt() throws {
        var state = try started()
        try state.applyAll([
            Fixtures.stk(1),  // seq 2
            .auditRecorded(.init(actor: "key_1", action: "payment.stk_push", target: "", requestID: "req_1")),
            Fixtures.accepted(1),  // seq 4
            callback(1, .matched),
            .reconciliationAttempted(.init(paymentID: Fixtures.paymentID(1), attempt: 1, outcome: .stillPending)),
            Fixtures.settled(1),  // seq 7: changes
            callback(1, .matched),
            Fixtures.settled(1),  // seq 9: duplicate
            Fixtures.settled(1, code: "1032"),  // seq 10: late
            callback(nil, .orphan), callback(nil, .malformed),
        ])
        let payment = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(payment.createdAtMs == at(2))
        #expect(payment.updatedAtMs == at(7))
        #expect(payment.firstEventSeq == 2)
        #expect(payment.lastEventSeq == 10)
        #expect(payment.callbackCount == 2)
        #expect(payment.reconcileAttempts == 1)
        #expect(state.counters.auditEntries == 1)
        #expect(state.counters.callbacks == 4)
        #expect(state.counters.orphanCallbacks == 1)
        #expect(state.counters.malformedCallbacks == 1)
        #expect(state.counters.duplicateResults == 1)
        #expect(state.counters.lateResults == 1)

        var accepted = try started()
        try accepted.applyAll([Fixtures.stk(1), Fixtures.accepted(1), Fixtures.accepted(1)])
        #expect(accepted.payment(id: Fixtures.paymentID(1))?.updatedAtMs == at(4))
    }

    @Test func anUpstreamFailureSettlesOnlyWithFailed() throws {
        var state = try started()
        try state.applyAll([
            Fixtures.stk(1),  // seq 2
            .paymentUpstreamFailed(.init(
                paymentID: Fixtures.paymentID(1), status: .pending, errorCode: "timeout", errorMessage: "no answer")),
        ])
        let waiting = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(waiting.status == .pending)
        #expect(waiting.updatedAtMs == at(2))
        #expect(waiting.resultCode == nil)
        #expect(waiting.lastEventSeq == 3)
        try state.applyAll([
            .paymentUpstreamFailed(.init(
                paymentID: Fixtures.paymentID(1), status: .failed, errorCode: "500.003.02", errorMessage: "refused")),
            .paymentUpstreamFailed(.init(
                paymentID: Fixtures.paymentID(1), status: .failed, errorCode: "500.003.02", errorMessage: "refused")),
        ])
        let failed = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(failed.status == .failed)
        #expect(failed.updatedAtMs == at(4))
        #expect(failed.resultCode == ResultCode("500.003.02"))
        #expect(failed.resultDesc == "refused")
        #expect(state.counters.duplicateResults == 1)
    }

    /// A reversal takes its original's phone (its request carries none), or none without an original; its
    /// success makes the original `reversed`, sets the original's `updated_at_ms`, and reaches its timeline.
    @Test func aReversalTakesItsOriginalsPhoneAndReachesItsTimeline() throws {
        var state = try started()
        try state.applyAll([
            Fixtures.stk(1), Fixtures.settled(1),  // seq 2, 3
            .reversalRequested(.init(paymentID: Fixtures.paymentID(2), originalPaymentID: Fixtures.paymentID(1),
                                     mpesaReceipt: "RCP1", amount: Amount(shillings: 100), remarks: "refund")),
            .reversalRequested(.init(paymentID: Fixtures.paymentID(3), originalPaymentID: nil,
                                     mpesaReceipt: "RCPX", amount: Amount(shillings: 5), remarks: "refund")),
            Fixtures.settled(2),  // seq 6
        ])
        #expect(state.payment(id: Fixtures.paymentID(2))?.phone == Fixtures.phone.digits)
        #expect(state.payment(id: Fixtures.paymentID(3))?.phone == "")
        let original = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(original.status == .reversed)
        #expect(original.updatedAtMs == at(6))
        #expect(original.lastEventSeq == 6)
    }

    /// C2B: `created_at_ms` is Daraja's transaction time when given, `updated_at_ms` the line's time.
    @Test func aC2BPaymentIsCreatedAtItsTransactionTime() throws {
        var state = try started()
        try state.applyAll([
            .c2bReceived(.init(
                paymentID: Fixtures.paymentID(1), amount: Amount(shillings: 50), phone: "2547****149",
                mpesaReceipt: "RCPC", accountReference: "", transactionAtMs: 1_600_000_000_000)),
        ])
        let payment = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(payment.createdAtMs == 1_600_000_000_000)
        #expect(payment.updatedAtMs == at(2))
        #expect(payment.accountReference == nil)  // an empty text reads as absent
    }

    @Test func theOrganizationsTimesComeFromItsTwoEvents() throws {
        var state = try started()
        #expect(state.organization?.createdAtMs == at(1))
        #expect(state.organization?.updatedAtMs == at(1))
        #expect(state.organization?.status == .active)
        try state.applyAll([
            Fixtures.stk(1), .auditRecorded(.init(actor: "system", action: "x", target: "", requestID: "req_1")),
            .organizationUpdated(.init(callbackToken: "cbt_rotated")),  // seq 4
        ])
        #expect(state.organization?.createdAtMs == at(1))
        #expect(state.organization?.updatedAtMs == at(4))
        try state.applyAll([.organizationUpdated(.init(status: .disabled))])  // seq 5
        #expect(state.organization?.status == .disabled)
        #expect(state.organization?.updatedAtMs == at(5))
    }
}
