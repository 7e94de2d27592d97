import PesaCore
import PesaTesting
import Testing

@testable import PesaStore

/// `TenantStore.records` with a line budget: a filter that matches little gives short pages that say where
/// they stopped, and following them finds exactly what one unlimited walk finds.
@Suite struct RecordPageTests {
    @Test func aWalkStopsAtItsLineBudgetAndGoesOnFromThere() async throws {
        let io = SimulatedFileIO(seed: 7)
        let (store, _, _) = try openLedger("/data", io: io, segmentBytesMax: 1_000)
        for index in 0..<60 { _ = try await store.append([LedgerTestState.event(id: "r\(index)", n: 1)]) }
        let all = try await store.records(types: ["test.event"], afterSeq: 0, limit: 1_000)
        #expect(all.records.count == 60)
        #expect(all.stoppedAfter == nil)
        // Every seventh line matches; pages of 3 with 10 lines looked at each.
        let sevenths: @Sendable (JournalRecord) -> Bool = { $0.seq % 7 == 0 }
        let expected = all.records.filter(sevenths).map(\.seq)
        var after: UInt64 = 0
        var found: [UInt64] = []
        var pages = 0
        while pages < 100 {
            pages += 1
            let page = try await store.records(
                types: ["test.event"], afterSeq: after, limit: 3, linesMax: 10, matching: sevenths)
            #expect(page.records.count <= 3)
            found += page.records.map(\.seq)
            if let stopped = page.stoppedAfter {
                #expect(stopped == after + 10)
                after = stopped
            } else if page.records.count == 3 {
                after = page.records[2].seq
            } else {
                break
            }
        }
        #expect(found == expected)
        #expect(pages >= 6)
        // The last page ends at the head, not with a stop.
        let tail = try await store.records(
            types: ["test.event"], afterSeq: 55, limit: 3, linesMax: 5, matching: sevenths)
        #expect(tail.stoppedAfter == nil)
        #expect(tail.records.map(\.seq) == [56])
    }
}
