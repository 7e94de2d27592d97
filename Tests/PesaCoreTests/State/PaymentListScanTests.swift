@testable import PesaCore
import Testing

/// The payment list's filters against a walk of every payment, over a table of several chunks of rows (the status
/// and type columns are scanned a chunk at a time), page by page through the cursor.
@Suite struct PaymentListScanTests {
    @Test func everyFilterListsWhatAWalkOfEveryPaymentFinds() throws {
        let state = PaymentDaysTests.history(seed: 11, payments: 9_000).state
        let table = state.payments
        #expect(table.count > 2 * 4_096)
        let newestFirst = (0..<table.count).reversed().map { table.payment(at: $0) }
        var filters = PaymentDaysTests.filters(state, seed: 11).map(\.0)
        filters += filters.map { filter in
            var untimed = filter
            (untimed.fromMs, untimed.toMs) = (nil, nil)
            return untimed
        }
        var nonEmpty = 0
        for filter in filters {
            let expected = newestFirst.filter { payment in
                (filter.status.map { payment.status == $0 } ?? true) && (filter.type.map { payment.type == $0 } ?? true)
                    && (filter.shortCodeID.map { payment.shortCodeID == $0 } ?? true)
                    && TimeWindow.contains(payment.createdAtMs, fromMs: filter.fromMs, toMs: filter.toMs)
            }.map(\.id)
            var listed: [PaymentID] = []
            var cursor: PaymentID?
            repeat {
                let page = table.list(filter, after: cursor, limit: 700)
                listed += page.payments.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(listed == expected, "\(filter)")
            if !expected.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > filters.count / 4)
    }
}
