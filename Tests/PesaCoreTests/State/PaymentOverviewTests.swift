@testable import PesaCore
import Testing

/// The overview's figures and the phone and receipt filters against walks of every row: periods cut anywhere,
/// late pending payments, callbacks that did not come, and filters read through lists, summaries, exports and a
/// snapshot round trip.
@Suite struct PaymentOverviewTests {
    static let startMs: Int64 = 1_700_000_000_000

    static func push(_ seed: UInt64, phone: String, shillings: Int64 = 100) throws -> TenantEvent {
        .stkPushRequested(.init(
            paymentID: Fixtures.paymentID(seed), amount: Amount(shillings: shillings), phone: try MSISDN(phone),
            accountReference: "INV\(seed)", description: "Order", transactionType: .paybill))
    }

    static func settled(_ seed: UInt64, receipt: String) -> TenantEvent {
        .paymentSettled(.init(
            paymentID: Fixtures.paymentID(seed), resultCode: ResultCode(0), resultDesc: "ok", mpesaReceipt: receipt,
            source: .callback))
    }

    /// Ten pushes from three phones, the even ones settled with receipts, two of them in lower or mixed case.
    static func state() throws -> TenantState {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated])
        let phones = ["0708374149", "0711000001", "0722000002"]
        for seed in UInt64(1)...10 {
            try state.applyAll([try push(seed, phone: phones[Int(seed) % 3], shillings: Int64(seed))])
            let receipt = seed == 4 ? "sbl4abcd" : seed == 6 ? "SbL6AbCd" : "SBL\(seed)ABCD"
            if seed % 2 == 0 { try state.applyAll([settled(seed, receipt: receipt)]) }
        }
        return state
    }

    @Test func periodsEqualAWalkWhereverTheyAreCut() throws {
        let (state, _) = PaymentDaysTests.history(seed: SeededGenerator.seed("PaymentOverviewTests"), payments: 800)
        let table = state.payments
        var random = SeededGenerator(seed: 7)
        let endMs = state.lastAtMs + 86_400_000
        for _ in 0..<80 {
            let from = Int64.random(in: (Self.startMs - 86_400_000)...endMs, using: &random)
            let to = Int64.random(in: from...endMs, using: &random)
            let walked = table.walkSummary(PaymentFilter(fromMs: from, toMs: to))
            let period = table.period(fromMs: from, toMs: to)
            #expect(period.count == walked.total.count)
            #expect(period.volume == walked.total.volume)
            #expect(period.successRatePermille == walked.successRatePermille)
            #expect(period.finished == walked.successRate?.final ?? 0)
        }
        #expect(table.period(fromMs: 5, toMs: 5) == PaymentPeriod())
    }

    @Test func phoneAndReceiptFiltersSelectExactlyTheirRows() throws {
        let state = try Self.state()
        let restored = try TenantState(
            snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        for table in [state.payments, restored.payments] {
            var byPhone = PaymentFilter()
            byPhone.phone = "254711000001"
            let listed = table.list(byPhone, limit: 500).payments
            #expect(listed.map(\.id) == [10, 7, 4, 1].map { Fixtures.paymentID($0) })
            #expect(table.summary(byPhone).total.count == 4)
            #expect(table.summary(byPhone).total.volume == Amount(shillings: 22))
            #expect(table.exportPage(byPhone, below: table.count, scanRowsMax: 100).payments.count == 4)
            let page = table.list(byPhone, limit: 2)
            #expect(page.payments.count == 2 && page.nextCursor == Fixtures.paymentID(7))
            let rest = table.list(byPhone, after: page.nextCursor, limit: 2)
            #expect(rest.payments.map(\.id).last == Fixtures.paymentID(1))
            for (typed, seed) in [("SBL4ABCD", UInt64(4)), ("sbl6abcd", 6), ("sBl8aBcD", 8)] {
                var byReceipt = PaymentFilter()
                byReceipt.receipt = typed
                #expect(table.list(byReceipt).payments.map(\.id) == [Fixtures.paymentID(seed)], "\(typed)")
                #expect(table.summary(byReceipt).total.count == 1)
                #expect(table.summary(byReceipt, utcOffsetMs: 0).total.count == 1)
                #expect(table.exportPage(byReceipt, below: table.count, scanRowsMax: 100).payments.count == 1)
                byReceipt.phone = "254708374149"
                #expect(table.list(byReceipt).payments.count == (seed == 6 ? 1 : 0))
            }
            var missing = PaymentFilter()
            missing.receipt = "SBL4ABC"
            #expect(table.list(missing).payments.isEmpty && table.summary(missing).total.count == 0)
            // The exact lookups of settlement are not loosened: only the stored case finds a row.
            #expect(table.row(forReceipt: "sbl4abcd") != nil && table.row(forReceipt: "SBL4ABCD") == nil)
            #expect(table.rows(forReceipt: "SbL6AbCd").count == 1)
        }
    }

    @Test func aPhoneIsFoundAcrossChunksOfKeysPageByPage() async throws {
        let phones = (0..<7).map { "071100001\($0)" }
        let (state, restored) = try await onOwnThread { () throws -> (TenantState, TenantState) in
            var state = TenantState()
            try state.applyAll([Fixtures.organizationCreated])
            for seed in UInt64(1)...10_000 {
                try state.applyAll([try Self.push(seed, phone: phones[Int(seed * seed % 7)], shillings: 1)])
            }
            let restored = try TenantState(
                snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
            return (state, restored)
        }
        for table in [state.payments, restored.payments] {
            var filter = PaymentFilter()
            filter.phone = try MSISDN(phones[2]).digits
            let expected = (0..<table.count).reversed().filter { table.phone(at: $0) == filter.phone }
            let listed = PaymentDaysTests.listAll(table, filter, limit: 500).map(\.id)
            #expect(listed == expected.map { table.id(at: $0) })
            #expect(table.summary(filter).total.count == Int64(expected.count))
            filter.fromMs = table.createdAtMs(at: 5_000)
            #expect(table.summary(filter).total.count == Int64(expected.filter { $0 >= 5_000 }.count))
        }
    }

    @Test func latePendingPaymentsAndMissingCallbacksAreFoundFromTheNewestRows() throws {
        var state = TenantState()
        try state.apply(Fixtures.organizationCreated, seq: 1, atMs: Self.startMs)
        var seq: UInt64 = 1
        func apply(_ event: TenantEvent, atMs: Int64) throws {
            seq += 1
            try state.apply(event, seq: seq, atMs: atMs)
        }
        for seed in UInt64(1)...6 {
            try apply(Fixtures.stk(seed), atMs: Self.startMs + Int64(seed) * 60_000)
            if seed != 6 { try apply(Fixtures.accepted(seed), atMs: Self.startMs + Int64(seed) * 60_000 + 1) }
        }
        try apply(
            .callbackReceived(.init(kind: .stk, body: "{}", disposition: .matched, paymentID: Fixtures.paymentID(1))),
            atMs: Self.startMs + 70_000)
        try apply(Fixtures.settled(1), atMs: Self.startMs + 70_001)
        let table = state.payments
        let late = table.pending(createdBeforeMs: Self.startMs + 4 * 60_000)
        #expect(late.count == 2 && late.oldestMs == Self.startMs + 2 * 60_000)
        #expect(table.pending(createdBeforeMs: Self.startMs).count == 0)
        // Payments 2 to 5 were accepted and heard nothing; 6 was never accepted (it expects no callback).
        let silent = table.callbackWatch(fromMs: Self.startMs + 90_000, toMs: Self.startMs + 3_600_000, rowsMax: 100)
        #expect(silent.expected == 4 && silent.received == 0)
        #expect(silent.firstCreatedAtMs == Self.startMs + 120_000 && silent.lastCreatedAtMs == Self.startMs + 300_000)
        let heard = table.callbackWatch(fromMs: Self.startMs, toMs: Self.startMs + 3_600_000, rowsMax: 100)
        #expect(heard.expected == 5 && heard.received == 1)
        #expect(table.callbackWatch(fromMs: Self.startMs, toMs: Self.startMs + 3_600_000, rowsMax: 2).expected == 1)
    }
}
