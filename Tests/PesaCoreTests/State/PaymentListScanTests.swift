@testable import PesaCore
import Testing

/// The payment list's filters against a walk of every payment, over a table of several chunks of rows (the status
/// and type columns are scanned a chunk at a time), page by page through the cursor.
@Suite struct PaymentListScanTests {
    /// One filter's list, paged through, and the walk's answer.
    struct Listing: Sendable {
        let filter: PaymentFilter
        let listed: [PaymentID]
        let expected: [PaymentID]
    }

    @Test func everyFilterListsWhatAWalkOfEveryPaymentFinds() async throws {
        let (rows, listings) = try await onOwnThread { () -> (Int, [Listing]) in
            let state = PaymentDaysTests.history(seed: 11, payments: 9_000).state
            let table = state.payments
            let newestFirst = (0..<table.count).reversed().map { table.payment(at: $0) }
            var filters = PaymentDaysTests.filters(state, seed: 11).map(\.0)
            filters += filters.map { filter in
                var untimed = filter
                (untimed.fromMs, untimed.toMs) = (nil, nil)
                return untimed
            }
            return (
                table.count,
                filters.map { filter in
                    let expected = newestFirst.filter { payment in
                        (filter.status.map { payment.status == $0 } ?? true)
                            && (filter.type.map { payment.type == $0 } ?? true)
                            && (filter.shortCodeID.map { payment.shortCodeID == $0 } ?? true)
                            && TimeWindow.contains(payment.createdAtMs, fromMs: filter.fromMs, toMs: filter.toMs)
                    }.map(\.id)
                    let listed = PaymentDaysTests.listAll(table, filter, limit: 700).map(\.id)
                    return Listing(filter: filter, listed: listed, expected: expected)
                }
            )
        }
        #expect(rows > 2 * 4_096)
        for listing in listings { #expect(listing.listed == listing.expected, "\(listing.filter)") }
        #expect(listings.filter { !$0.expected.isEmpty }.count > listings.count / 4)
    }
}
