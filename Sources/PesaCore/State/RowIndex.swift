/// An open-addressing hash index from a key to a row number, storing only 4 bytes per slot. The keys stay
/// in the table; callers give the hash and a `matches` check, so one index costs ~8 bytes per row.
/// Insert-only: a row whose key changed keeps its stale entry, which `matches` rejects.
///
/// Growth is incremental, like Redis' rehash. Rehashing every entry at once re-hashed each text key's bytes and
/// took 13-25 ms at 131,072 slots, inside the tenant engine's single writer, so it set the p99 of every request.
/// Instead, past 3/4 load the index allocates a table twice the size and keeps the old one as `migrating`; each
/// insert then moves the next `migrationStepSlots` old slots into the new table, so no insert calls `hashOf` more
/// than `migrationStepSlots` times. The old table is only read, never emptied slot by slot (a hole would cut the
/// linear-probe chains of the entries after it), so `find` looks in both while migrating; a row already moved is
/// found twice, which is harmless. Both tables are arrays: a copy of the index (a state snapshot) shares them
/// copy-on-write and never sees the other copy's inserts.
struct RowIndex: Sendable {
    /// Old slots scanned per insert while migrating, so at most this many `hashOf` calls per insert.
    ///
    /// Why it suffices: an index of capacity C grows on the insert that finds `count == 3/4 C` (an insert never
    /// lets `count` pass 3/4 of the capacity, and neither does `bulkInsert`). The new table (2C) grows again on the
    /// insert that finds `count == 3/2 C`, so the growing insert and the 3/4 C - 1 after it all run a step before
    /// the next growth: 3/4 C steps to drain C old slots needs a step of 4/3 slots, so 2 would be enough.
    /// With 8, the migration ends after C/8 inserts, a sixth of the way. `finishMigration` stays as a safety net.
    static let migrationStepSlots = 8

    /// The current table. 0: empty; otherwise row + 1.
    private var slots: [UInt32]
    /// The table before the last growth while its entries are being moved into `slots`; empty otherwise.
    private var migrating: [UInt32] = []
    /// The next slot of `migrating` to move.
    private var migrationCursor = 0
    /// Entries of `migrating` at or after the cursor, still to move.
    private var migrationPending = 0
    /// Rows indexed, counting those still only in `migrating`: what `slots` holds once the migration ends.
    private(set) var count: Int

    /// Stands in while an index is moved out for an insert.
    static let placeholder = RowIndex()

    init(minimumCapacity: Int = 0) {
        var capacity = 16
        while capacity * 3 < minimumCapacity * 4 { capacity *= 2 }
        slots = [UInt32](repeating: 0, count: capacity)
        count = 0
    }

    /// Whether an old table is still being moved (tests check lookups at that point).
    var isMigrating: Bool { !migrating.isEmpty }

    /// The newest (highest) row that `matches`: a key reused later (an idempotency key after its window)
    /// names its latest row. While migrating, that row may still be only in the old table.
    func find(hash: UInt64, matches: (Int) -> Bool) -> Int? {
        let found = Self.newest(in: slots, hash: hash, above: nil, matches: matches)
        if migrating.isEmpty { return found }
        return Self.newest(in: migrating, hash: hash, above: found, matches: matches)
    }

    /// Adds `row` under `hash`; `hashOf` gives the hash of any row already indexed (used to move old entries).
    mutating func insert(row: Int, hash: UInt64, hashOf: (Int) -> UInt64) {
        precondition(row >= 0 && row < Int(UInt32.max) - 1, "row index out of range")
        if (count + 1) * 4 > slots.count * 3 { grow(hashOf: hashOf) }
        if !migrating.isEmpty { migrate(slotsMax: Self.migrationStepSlots, hashOf: hashOf) }
        Self.place(UInt32(row + 1), hash: hash, in: &slots)
        count += 1
    }

    /// Places `rows` entries into an index created with room for them (`minimumCapacity`), in order.
    /// `row(i)` is the i-th row (default: i), `hash(i)` its hash.
    mutating func bulkInsert(rows total: Int, row: (Int) -> Int = { $0 }, hash: (Int) -> UInt64) {
        precondition(migrating.isEmpty, "bulk insert into an index that is migrating")
        precondition((count + total) * 4 <= slots.count * 3, "bulk insert into an index too small")
        let mask = slots.count - 1
        slots.withUnsafeMutableBufferPointer { slots in
            for item in 0..<total {
                let value = row(item)
                precondition(value >= 0 && value < Int(UInt32.max) - 1, "row index out of range")
                var position = Int(truncatingIfNeeded: hash(item)) & mask
                while slots[position] != 0 { position = (position + 1) & mask }
                slots[position] = UInt32(value + 1)
            }
        }
        count += total
    }

    /// Starts moving into a table twice the size. Only allocating the zeroed table is paid here; the entries
    /// move a step per insert.
    private mutating func grow(hashOf: (Int) -> UInt64) {
        if !migrating.isEmpty { finishMigration(hashOf: hashOf) }
        precondition(migrating.isEmpty && migrationPending == 0, "growth while migrating")
        migrating = slots
        migrationCursor = 0
        migrationPending = count  // every entry sits in `slots` once no migration is running
        slots = [UInt32](repeating: 0, count: migrating.count * 2)
    }

    /// Moves the entries of the next `slotsMax` old slots; drops the old table once none is left in it.
    private mutating func migrate(slotsMax: Int, hashOf: (Int) -> UInt64) {
        let end = min(migrationCursor + slotsMax, migrating.count)
        while migrationCursor < end, migrationPending > 0 {
            let value = migrating[migrationCursor]
            migrationCursor += 1
            if value == 0 { continue }
            Self.place(value, hash: hashOf(Int(value) - 1), in: &slots)
            migrationPending -= 1
        }
        if migrationCursor == migrating.count {
            precondition(migrationPending == 0, "old table held fewer entries than counted")
        }
        if migrationPending == 0 {
            migrating = []
            migrationCursor = 0
        }
    }

    /// Moves every entry still in the old table. Never reached with `migrationStepSlots` ≥ 2 (see there).
    private mutating func finishMigration(hashOf: (Int) -> UInt64) {
        migrate(slotsMax: migrating.count, hashOf: hashOf)
        precondition(migrating.isEmpty, "migration did not finish")
    }

    /// The highest row above `found` in `table`'s probe chain for `hash` that `matches`, else `found`.
    private static func newest(in table: [UInt32], hash: UInt64, above found: Int?, matches: (Int) -> Bool) -> Int? {
        let mask = table.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        var found = found
        while true {
            let slot = table[position]
            if slot == 0 { return found }
            let row = Int(slot) - 1
            if row > (found ?? -1), matches(row) { found = row }
            position = (position + 1) & mask
        }
    }

    private static func place(_ value: UInt32, hash: UInt64, in table: inout [UInt32]) {
        let mask = table.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while table[position] != 0 { position = (position + 1) & mask }
        table[position] = value
    }

    /// FNV-1a, then mixed so that the low bits (the slot) depend on every byte.
    static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return mix(value)
    }

    /// The hash of the bytes `transform` gives for each byte and its position (a key hashed case-folded).
    static func hash<Bytes: Sequence>(_ bytes: Bytes, _ transform: (Int, UInt8) -> UInt8) -> UInt64
    where Bytes.Element == UInt8 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for (index, byte) in bytes.enumerated() {
            value = (value ^ UInt64(transform(index, byte))) &* 0x0000_0100_0000_01B3
        }
        return mix(value)
    }

    static func mix(_ input: UInt64) -> UInt64 {
        var value = input
        value = (value ^ (value >> 33)) &* 0xff51_afd7_ed55_8ccd
        value = (value ^ (value >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        return value ^ (value >> 33)
    }
}
