@testable import PesaCore
import Testing

@Suite struct PaymentQueryTests {
    static func state() throws -> TenantState {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated])
        for seed in UInt64(1)...25 {
            try state.applyAll([Fixtures.stk(seed, shillings: Int64(seed))])
            if seed % 5 == 0 { try state.applyAll([Fixtures.settled(seed)]) }
            if seed % 7 == 0 { try state.applyAll([Fixtures.settled(seed, code: "1032")]) }
        }
        return state
    }

    @Test func pagesNewestFirstWithCursor() throws {
        let table = try Self.state().payments
        let first = table.list(PaymentFilter(), limit: 10)
        #expect(first.payments.map(\.id) == (16...25).reversed().map { Fixtures.paymentID(UInt64($0)) })
        #expect(first.nextCursor == Fixtures.paymentID(16))
        let second = table.list(PaymentFilter(), after: first.nextCursor, limit: 10)
        #expect(second.payments.first?.id == Fixtures.paymentID(15))
        let third = table.list(PaymentFilter(), after: second.nextCursor, limit: 10)
        #expect(third.payments.count == 5 && third.nextCursor == nil)
    }

    @Test func filtersByStatusTypeAndTime() throws {
        let table = try Self.state().payments
        let succeeded = table.list(PaymentFilter(status: .succeeded), limit: 500)
        #expect(succeeded.payments.map(\.id) == [25, 20, 15, 10, 5].map { Fixtures.paymentID(UInt64($0)) })
        #expect(succeeded.nextCursor == nil)
        let exact = table.list(PaymentFilter(status: .succeeded), limit: 5)
        #expect(exact.payments.count == 5 && exact.nextCursor == nil)
        #expect(table.list(PaymentFilter(type: .b2c)).payments.isEmpty)
        let from = table.createdAtMs(at: 20)
        #expect(table.list(PaymentFilter(fromMs: from)).payments.count == 5)
        #expect(table.list(PaymentFilter(toMs: from)).payments.count == 20)
    }

    @Test func summarizesByTypeStatusAndDay() throws {
        let summary = try Self.state().payments.summary(PaymentFilter())
        #expect(summary.total.count == 25)
        #expect(summary.total.volume == Amount(shillings: 325))
        #expect(summary.byType[.stkPush]?.count == 25)
        #expect(summary.byStatus[.succeeded]?.count == 5 && summary.byStatus[.cancelled]?.count == 3)
        #expect(summary.successRatePermille == 625)
        #expect(summary.byDay.map(\.day) == [19_676])  // 2023-11-15 in Kenya
    }
}
