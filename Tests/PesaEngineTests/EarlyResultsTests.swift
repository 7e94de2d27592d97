import Testing

@testable import PesaEngine

/// The early-results table forgets its oldest entries first, and only those.
@Suite struct EarlyResultsTests {
    @Test func pastItsBoundTheOldestIsForgottenAndTheRestKept() {
        var table = EarlyResults<Int>(countMax: 3)
        for index in 1...4 { table.remember(index, for: "id\(index)") }
        #expect(table.count == 3)
        #expect(table.take("id1") == nil)
        #expect(table.take("id4") == 4)
        #expect(table.take("id2") == 2)
        #expect(table.take("id2") == nil)
        #expect(table.count == 1)
    }

    @Test func takenAndRememberedAgainCountsFromItsNewArrival() {
        var table = EarlyResults<Int>(countMax: 2)
        table.remember(1, for: "a")
        table.remember(2, for: "b")
        #expect(table.take("a") == 1)
        table.remember(3, for: "a")  // again, now the newest
        table.remember(4, for: "c")  // over the bound: "b" is the oldest, not "a"
        #expect(table.take("b") == nil)
        #expect(table.take("a") == 3)
        #expect(table.take("c") == 4)
    }

    @Test func theFirstResultForAnIdIsKeptUnlessTheNextOutranksIt() {
        var table = EarlyResults<Int>(countMax: 4)
        table.remember(1, for: "a")
        table.remember(2, for: "a")
        #expect(table.count == 1)
        #expect(table.take("a") == 1)
        #expect(table.take("a") == nil)
        table.remember(1, for: "b")
        table.remember(3, for: "b", replaces: { $0 < 3 })
        table.remember(2, for: "b", replaces: { $0 < 2 })
        #expect(table.take("b") == 3)
    }

    @Test func aResultTakenSoonAfterItCameNeverPilesUp() {
        var table = EarlyResults<Int>(countMax: 10)
        for index in 0...9_996 {  // the last one, 9,996 = 7 * 1,428, is kept
            table.remember(index, for: "id\(index)")
            if index % 7 != 0 { #expect(table.take("id\(index)") == index) }
        }
        // Only the never-taken ones are left, at most the bound, the newest of them.
        #expect(table.count == 10)
        #expect(table.take("id\(9_996)") == 9_996)
        #expect(table.take("id\(9_926)") == nil)
        #expect(table.take("id\(9_933)") == 9_933)
    }
}
