/// An open-addressing hash index from a key to a row number, storing only 4 bytes per slot. The keys stay
/// in the table; callers give the hash and a `matches` check, so one index costs ~8 bytes per row.
/// Insert-only: a row whose key changed keeps its stale entry, which `matches` rejects.
struct RowIndex: Sendable {
    /// 0: empty; otherwise row + 1.
    private(set) var slots: [UInt32]
    private(set) var count: Int

    /// Stands in while an index is moved out for an insert.
    static let placeholder = RowIndex()

    init(minimumCapacity: Int = 0) {
        var capacity = 16
        while capacity * 3 < minimumCapacity * 4 { capacity *= 2 }
        slots = [UInt32](repeating: 0, count: capacity)
        count = 0
    }

    /// The newest (highest) row that `matches`: a key reused later (an idempotency key after its window)
    /// names its latest row.
    func find(hash: UInt64, matches: (Int) -> Bool) -> Int? {
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        var found: Int?
        while true {
            let slot = slots[position]
            if slot == 0 { return found }
            let row = Int(slot) - 1
            if row > (found ?? -1), matches(row) { found = row }
            position = (position + 1) & mask
        }
    }

    /// Adds `row` under `hash`; `hashOf` gives the hash of any row already indexed (used when growing).
    mutating func insert(row: Int, hash: UInt64, hashOf: (Int) -> UInt64) {
        precondition(row >= 0 && row < Int(UInt32.max) - 1, "row index out of range")
        if (count + 1) * 4 > slots.count * 3 { grow(hashOf: hashOf) }
        place(UInt32(row + 1), hash: hash)
        count += 1
    }

    /// Places `rows` entries into an index created with room for them (`minimumCapacity`), in order.
    /// `row(i)` is the i-th row (default: i), `hash(i)` its hash.
    mutating func bulkInsert(rows total: Int, row: (Int) -> Int = { $0 }, hash: (Int) -> UInt64) {
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

    private mutating func place(_ value: UInt32, hash: UInt64) {
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while slots[position] != 0 { position = (position + 1) & mask }
        slots[position] = value
    }

    private mutating func grow(hashOf: (Int) -> UInt64) {
        let old = slots
        slots = [UInt32](repeating: 0, count: old.count * 2)
        for value in old where value != 0 { place(value, hash: hashOf(Int(value) - 1)) }
    }

    /// FNV-1a, then mixed so that the low bits (the slot) depend on every byte.
    static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return mix(value)
    }

    static func mix(_ input: UInt64) -> UInt64 {
        var value = input
        value = (value ^ (value >> 33)) &* 0xff51_afd7_ed55_8ccd
        value = (value ^ (value >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        return value ^ (value >> 33)
    }
}
