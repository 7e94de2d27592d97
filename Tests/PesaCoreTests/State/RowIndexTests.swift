@testable import PesaCore
import Testing

/// The index behind the payment table's lookups, driven directly: rows are positions in `keys`, and a row
/// matches a key when `keys[row]` equals it (a row whose key changed is stale, as in the table).
@Suite struct RowIndexTests {
    /// Keys of rows 0..<count, with the hash the index is given; `buckets` (when set) folds the keys onto that
    /// many hashes, so probe chains get long and cross the old table's migrated and unmigrated parts.
    struct Rows {
        var keys: [UInt64] = []
        var buckets: UInt64?

        func hash(key: UInt64) -> UInt64 { RowIndex.mix(buckets.map { key % $0 } ?? key) }
        func hash(row: Int) -> UInt64 { hash(key: keys[row]) }

        func find(_ key: UInt64, in index: RowIndex) -> Int? {
            index.find(hash: hash(key: key)) { keys[$0] == key }
        }

        /// Appends a row with `key` and indexes it; answers how many times the insert called `hashOf`.
        @discardableResult
        mutating func append(_ key: UInt64, to index: inout RowIndex) -> Int {
            keys.append(key)
            var calls = 0
            index.insert(row: keys.count - 1, hash: hash(key: key)) { row in
                calls += 1
                return hash(row: row)
            }
            return calls
        }

        /// Whether every row that is the newest with its key is found, and keys never inserted are not.
        func allFound(in index: RowIndex, rows: Range<Int>? = nil) -> Bool {
            var newest: [UInt64: Int] = [:]
            for row in rows ?? keys.indices { newest[keys[row]] = row }
            return newest.allSatisfy { find($0.key, in: index) == $0.value }
                && find(UInt64.max, in: index) == nil && find(UInt64.max - 1, in: index) == nil
        }
    }

    @Test(arguments: [(100_000, nil), (2_000, 97)] as [(Int, UInt64?)])
    func findsEveryRowBeforeDuringAndAfterEachMigration(rowCount: Int, buckets: UInt64?) async {
        var index = RowIndex()
        var rows = Rows(buckets: buckets)
        var migrationsSeen = 0
        var migratingInserts = 0
        for key in 0..<UInt64(rowCount) {
            // Lets the other tests' tasks run now and then: the cooperative pool has a thread per core.
            if key % 1_000 == 0 { await Task.yield() }
            let wasMigrating = index.isMigrating
            rows.append(key &* 0x9E37_79B9_7F4A_7C15, to: &index)
            #expect(index.count == rows.keys.count)
            migratingInserts = index.isMigrating ? migratingInserts + 1 : 0
            if index.isMigrating && !wasMigrating { migrationsSeen += 1 }
            // Checked when a migration starts, ends, and at the 2nd, 4th, 8th... insert of it (part moved).
            let partlyMoved = index.isMigrating && migratingInserts & (migratingInserts - 1) == 0
            if wasMigrating != index.isMigrating || partlyMoved {
                let missing = rows.keys.indices.filter { rows.find(rows.keys[$0], in: index) != $0 }
                #expect(missing.isEmpty, "rows not found at \(rows.keys.count): \(missing.prefix(5))")
                #expect(rows.find(1, in: index) == nil)
            }
        }
        #expect(migrationsSeen >= (buckets == nil ? 12 : 6))
        #expect(rows.allFound(in: index))
    }

    @Test func noInsertRehashesMoreThanOneStep() {
        var index = RowIndex()
        var rows = Rows()
        var callsMax = 0
        var callsTotal = 0
        var migratingInserts = 0
        for key in 0..<UInt64(250_000) {
            let wasMigrating = index.isMigrating
            let calls = rows.append(key, to: &index)
            if !wasMigrating && !index.isMigrating { #expect(calls == 0) }  // no rehash outside a migration
            if index.isMigrating { migratingInserts += 1 }
            callsMax = max(callsMax, calls)
            callsTotal += calls
        }
        #expect(callsMax <= RowIndex.migrationStepSlots)
        #expect(callsMax == RowIndex.migrationStepSlots)
        #expect(!index.isMigrating)
        // Each growth happens at 3/4 load of capacity C and moves those 3/4 C rows once, in at most C / step inserts.
        var moved = 0
        var migratingInsertsMax = 0
        var capacity = 16
        while capacity * 3 / 4 < index.count {
            moved += capacity * 3 / 4
            migratingInsertsMax += capacity / RowIndex.migrationStepSlots
            capacity *= 2
        }
        #expect(callsTotal == moved)
        #expect(migratingInserts <= migratingInsertsMax)
    }

    @Test func aReusedKeyNamesItsNewestRowAndStaleRowsAreSkipped() {
        var index = RowIndex()
        var rows = Rows()
        let distinctKeys: UInt64 = 1_000
        var checkedWhileMigrating = 0
        for row in 0..<5_000 {
            rows.append(UInt64(row) % distinctKeys, to: &index)
            if index.isMigrating {
                checkedWhileMigrating += 1
                #expect(rows.allFound(in: index))
            }
        }
        #expect(checkedWhileMigrating > 0)
        // Key 7 is on rows 7, 1007, ..., 4007. Changing the newest rows' keys makes them stale, one at a time.
        #expect(rows.find(7, in: index) == 4_007)
        for stale in stride(from: 4_007, to: 7, by: -1_000) {
            rows.keys[stale] = UInt64.max - 2
            #expect(rows.find(7, in: index) == stale - 1_000)
        }
        rows.keys[7] = UInt64.max - 2
        #expect(rows.find(7, in: index) == nil)
    }

    @Test func aKeyReusedAcrossAGrowthIsFoundInEitherTable() {
        // Each round reuses early keys just after a growth, while the old table still holds the first rows (and
        // stops before the new table grows: half of `growthAt` more rows keeps it under 3/4).
        for growthAt in [12, 24, 48, 96, 192] {
            var index = RowIndex()
            var rows = Rows()
            for key in 0..<UInt64(growthAt) { rows.append(key, to: &index) }
            #expect(!index.isMigrating)
            rows.append(1_000, to: &index)
            #expect(index.isMigrating)
            for key in 0..<UInt64(growthAt / 2) {
                let reused = rows.keys.count
                rows.append(key, to: &index)
                #expect(rows.find(key, in: index) == reused)
                rows.keys[reused] = UInt64.max - 2  // stale: the older row is found again
                #expect(rows.find(key, in: index) == Int(key))
                rows.keys[reused] = key
            }
            #expect(!index.isMigrating)
            #expect(rows.allFound(in: index))
        }
    }

    @Test func aCopyTakenWhileMigratingIsIndependent() {
        var original = RowIndex()
        var rows = Rows()
        for key in 0..<UInt64(1_600) { rows.append(key, to: &original) }
        while !original.isMigrating { rows.append(UInt64(rows.keys.count), to: &original) }
        rows.append(UInt64(rows.keys.count), to: &original)  // partly moved
        #expect(original.isMigrating)
        let originalRows = rows.keys.count
        var copy = original
        for _ in 0..<2_000 { rows.append(UInt64(rows.keys.count), to: &copy) }
        #expect(!copy.isMigrating)
        #expect(original.isMigrating)
        #expect(original.count == originalRows)
        #expect(copy.count == rows.keys.count)
        #expect(rows.allFound(in: copy))
        #expect(rows.allFound(in: original, rows: 0..<originalRows))
        for row in originalRows..<rows.keys.count { #expect(rows.find(rows.keys[row], in: original) == nil) }

        // And the other way: rows added to the original after the copy are not in the copy.
        let copied = copy
        var more = Rows(keys: Array(rows.keys[0..<originalRows]))
        for key in 0..<UInt64(2_000) { more.append(key | 1 << 40, to: &original) }
        #expect(more.allFound(in: original))
        #expect(rows.allFound(in: copied))
        for key in 0..<UInt64(2_000) { #expect(more.find(key | 1 << 40, in: copied) == nil) }
    }

    @Test func bulkInsertThenInsertsPastGrowth() {
        var rows = Rows(keys: (0..<3_000).map { UInt64($0) })
        var index = RowIndex(minimumCapacity: 1_000)
        // The even rows go in at once, as a snapshot load does, then the odd ones one by one.
        index.bulkInsert(rows: 1_500, row: { $0 * 2 }, hash: { rows.hash(row: $0 * 2) })
        #expect(index.count == 1_500)
        #expect(!index.isMigrating)
        for row in 0..<1_500 { #expect(rows.find(UInt64(row * 2), in: index) == row * 2) }
        var sawMigration = false
        for row in stride(from: 1, to: 3_000, by: 2) {
            var calls = 0
            index.insert(row: row, hash: rows.hash(row: row)) { calls += 1; return rows.hash(row: $0) }
            #expect(calls <= RowIndex.migrationStepSlots)
            sawMigration = sawMigration || index.isMigrating
        }
        #expect(sawMigration)
        #expect(index.count == 3_000)
        #expect(rows.allFound(in: index))
        rows.append(9_999_999, to: &index)
        #expect(rows.find(9_999_999, in: index) == 3_000)
    }
}
