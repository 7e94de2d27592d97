@testable import PesaCore
import Testing

/// `PaymentTable.openReversal(of:)`: whether a reversal of a payment may still succeed, however many
/// reversals came after it (the check that keeps a payment from being reversed twice).
@Suite struct OpenReversalTests {
    static func reversal(_ seed: UInt64, of original: UInt64) -> TenantEvent {
        .reversalRequested(.init(
            paymentID: Fixtures.paymentID(seed), originalPaymentID: Fixtures.paymentID(original),
            mpesaReceipt: "RCP\(original)", amount: Amount(shillings: 100), remarks: "Refund"))
    }

    static func reversalResult(_ seed: UInt64, code: String) -> TenantEvent {
        .paymentSettled(.init(
            paymentID: Fixtures.paymentID(seed), resultCode: ResultCode(code), resultDesc: "Result", mpesaReceipt: nil,
            source: .callback))
    }

    /// Payments 1...`originals`, all succeeded; reversal 10_001 of payment 1; then `later` reversals of the
    /// other payments (10_002 onward).
    static func state(originals: UInt64 = 40, later: UInt64) throws -> TenantState {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated])
        for seed in 1...originals { try state.applyAll([Fixtures.stk(seed), Fixtures.settled(seed)]) }
        try state.applyAll([reversal(10_001, of: 1)])
        for index in 0..<later { try state.applyAll([reversal(10_002 + index, of: 2 + index % (originals - 1))]) }
        return state
    }

    @Test func aPendingReversalIsFoundBehindMoreThanAListPageOfNewerReversals() throws {
        let later = UInt64(Limits.listLimitMaxCount) + 100
        let state = try Self.state(later: later)
        let row = try #require(state.payments.openReversal(of: Fixtures.paymentID(1)))
        #expect(state.payments.id(at: row) == Fixtures.paymentID(10_001))
        #expect(state.payments.openReversal(of: Fixtures.paymentID(2)) != nil)
        // A payment never reversed has none; neither does a reversal itself.
        var untouched = state
        try untouched.applyAll([Fixtures.stk(9_999), Fixtures.settled(9_999)])
        #expect(untouched.payments.openReversal(of: Fixtures.paymentID(9_999)) == nil)
        #expect(state.payments.openReversal(of: Fixtures.paymentID(10_001)) == nil)
    }

    @Test func aFailedReversalIsNoLongerOpenButALaterOneIs() throws {
        var state = try Self.state(originals: 3, later: 0)
        try state.applyAll([Self.reversalResult(10_001, code: "2001")])
        #expect(state.payments.openReversal(of: Fixtures.paymentID(1)) == nil)
        try state.applyAll([Self.reversal(10_002, of: 1)])
        let row = try #require(state.payments.openReversal(of: Fixtures.paymentID(1)))
        #expect(state.payments.id(at: row) == Fixtures.paymentID(10_002))
        try state.applyAll([Self.reversalResult(10_002, code: "0")])
        #expect(state.payments.openReversal(of: Fixtures.paymentID(1)) == nil)
        #expect(state.payments[Fixtures.paymentID(1)]?.status == .reversed)
    }

    /// A reversal reconciliation gave up on no longer blocks another (Daraja refuses a second reversal of
    /// one transaction itself).
    @Test func anUnknownReversalDoesNotBlockAnother() throws {
        var state = try Self.state(originals: 3, later: 0)
        #expect(state.payments.openReversal(of: Fixtures.paymentID(1)) != nil)
        try state.applyAll([
            .paymentSettled(.init(
                paymentID: Fixtures.paymentID(10_001), status: .unknown, resultCode: ResultCode("PESA_UNRESOLVED"),
                resultDesc: "gave up", source: .reconciliation))
        ])
        #expect(state.payments[Fixtures.paymentID(10_001)]?.status == .unknown)
        #expect(state.payments.openReversal(of: Fixtures.paymentID(1)) == nil)
    }

    @Test func theIndexIsRebuiltFromASnapshot() throws {
        let state = try Self.state(later: 700)
        let restored = try TenantState(
            snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        let row = try #require(restored.payments.openReversal(of: Fixtures.paymentID(1)))
        #expect(restored.payments.id(at: row) == Fixtures.paymentID(10_001))
        var settled = restored
        try settled.applyAll([Self.reversalResult(10_001, code: "2001")])
        #expect(settled.payments.openReversal(of: Fixtures.paymentID(1)) == nil)
        #expect(restored.payments.openReversal(of: Fixtures.paymentID(1)) == row)
    }
}
