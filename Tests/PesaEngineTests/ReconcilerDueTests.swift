import PesaCore
import Testing

@testable import PesaEngine

/// Which payments reconciliation asks about: the pending ones that are due, the longest overdue first, found
/// without walking every payment the organization ever made.
@Suite struct ReconcilerDueTests {
    static let baseMs: Int64 = 1_764_331_200_000

    static func id(_ index: Int) -> PaymentID {
        PaymentID(randomBytes: (0..<16).map { UInt8(truncatingIfNeeded: index >> (8 * ($0 % 4))) ^ UInt8($0) })
    }

    /// Payment `index` is created at `baseMs + index` seconds.
    struct Ledger {
        var state = TenantState()
        var seq: UInt64 = 0

        mutating func apply(_ event: TenantEvent, atMs: Int64) throws {
            seq += 1
            try state.apply(event, seq: seq, atMs: atMs)
        }

        mutating func create(_ index: Int) throws {
            let phone = try MSISDN("254708374149")
            try apply(.stkPushRequested(.init(
                paymentID: ReconcilerDueTests.id(index), amount: Amount(shillings: 10), phone: phone,
                accountReference: "INV\(index)", description: "Order", transactionType: .paybill)),
                atMs: ReconcilerDueTests.baseMs + Int64(index) * 1000)
            try apply(.paymentAccepted(.init(
                paymentID: ReconcilerDueTests.id(index), merchantRequestID: "m\(index)",
                checkoutRequestID: "ws_CO_\(index)")), atMs: ReconcilerDueTests.baseMs + Int64(index) * 1000)
        }

        mutating func settle(_ index: Int, code: String) throws {
            try apply(.paymentSettled(.init(
                paymentID: ReconcilerDueTests.id(index), resultCode: ResultCode(code), resultDesc: "Result",
                mpesaReceipt: code == "0" ? "RCP\(index)" : nil, source: .callback)), atMs: ReconcilerDueTests.baseMs)
        }

        /// Rows whose status is pending, by looking at every row.
        var pendingByScan: [Int] {
            (0..<state.payments.count).filter { state.payments.status(at: $0) == .pending }
        }
    }

    @Test func thePendingRowsFollowEveryStatusChangeAndSurviveASnapshot() throws {
        var ledger = Ledger()
        for index in 0..<600 { try ledger.create(index) }
        for index in stride(from: 0, to: 600, by: 3) { try ledger.settle(index, code: "0") }
        for index in stride(from: 1, to: 600, by: 7) { try ledger.settle(index, code: "1032") }
        // A failure that may have reached Daraja keeps the payment pending; a later result settles it.
        try ledger.apply(.paymentUpstreamFailed(.init(
            paymentID: Self.id(2), status: .pending, errorCode: "500", errorMessage: "maybe sent")), atMs: Self.baseMs)
        try ledger.settle(5, code: "1037")
        let pending = Array(ledger.state.payments.pendingRowsOldestFirst)
        #expect(pending == ledger.pendingByScan)
        #expect(pending.count == 600 - 200 - 58 - 1)
        let restored = try TenantState(
            snapshotPayload: ledger.state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        #expect(Array(restored.payments.pendingRowsOldestFirst) == pending)
    }

    @Test func listingPendingPaymentsPagesNewestFirstLikeAScanOfEveryRow() throws {
        var ledger = Ledger()
        for index in 0..<700 { try ledger.create(index) }
        for index in 0..<700 where index % 3 != 0 { try ledger.settle(index, code: index % 2 == 0 ? "0" : "1032") }
        let table = ledger.state.payments
        let fromMs = Self.baseMs + 100_000
        for filter in [PaymentFilter(status: .pending), PaymentFilter(status: .pending, fromMs: fromMs)] {
            let expected = ledger.pendingByScan.reversed()
                .filter { row in filter.fromMs.map { table.createdAtMs(at: row) >= $0 } ?? true }
                .map { table.id(at: $0) }
            var listed: [PaymentID] = []
            var cursor: PaymentID?
            repeat {
                let page = table.list(filter, after: cursor, limit: 100)
                listed += page.payments.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(listed == expected)
            #expect(table.list(filter, after: expected.last, limit: 100).payments.isEmpty)
        }
    }

    @Test func dueAreThePendingPaymentsPastTheirNextQueryLongestOverdueFirstAtMostAHundred() throws {
        var ledger = Ledger()
        for index in 0..<400 { try ledger.create(index) }
        for index in 0..<400 where index % 2 == 0 { try ledger.settle(index, code: "0") }
        let settings = PaymentSettings(reconcileAfterMs: 60_000)
        // At base + 100 s: payments created up to 40 s in are due (odd ones are pending): 1, 3, ..., 39.
        let early = Gateway.duePayments(ledger.state, nowMs: Self.baseMs + 100_000, settings: settings)
        #expect(early.map(\.id) == stride(from: 1, through: 39, by: 2).map { Self.id($0) })
        // Much later every pending payment is due: the oldest hundred come back.
        let late = Gateway.duePayments(ledger.state, nowMs: Self.baseMs + 10_000_000, settings: settings)
        #expect(late.map(\.id) == stride(from: 1, through: 199, by: 2).map { Self.id($0) })
        // A payment already asked once waits twice as long.
        try ledger.apply(.reconciliationAttempted(.init(
            paymentID: Self.id(1), attempt: 1, outcome: .stillPending)), atMs: Self.baseMs)
        let after = Gateway.duePayments(ledger.state, nowMs: Self.baseMs + 100_000, settings: settings)
        #expect(after.first?.id == Self.id(3))
    }
}
