/// A dictionary that forgets its oldest insertions beyond `countMax` (every collection has a limit).
///
/// The entries are spread over `shardCount` dictionaries by hash. A Swift dictionary grows by rehashing every
/// entry at once, under the sandbox's one lock: at 49,152 STK records that took about 100 ms in the payments
/// benchmark, and every Daraja request waited for it (the slow second of the 1,000/s phase). A shard holds a
/// 64th of the entries, so each growth costs a 64th, and the shards grow at different insertions.
struct BoundedDictionary<Key: Hashable, Value> {
    static var shardCount: Int { 64 }

    private var shards: [[Key: Value]] = Array(repeating: [:], count: Self.shardCount)
    private var order: [Key] = []
    private var orderHead = 0
    private(set) var count = 0
    let countMax: Int

    init(countMax: Int) {
        precondition(countMax > 0, "a bounded dictionary needs room")
        self.countMax = countMax
    }

    subscript(key: Key) -> Value? {
        get { shards[Self.shard(of: key)][key] }
        set {
            let shard = Self.shard(of: key)
            guard let newValue else {
                if shards[shard].removeValue(forKey: key) != nil { count -= 1 }
                return
            }
            if shards[shard].updateValue(newValue, forKey: key) == nil {
                count += 1
                order.append(key)
                evictIfNeeded()
            }
        }
    }

    private static func shard(of key: Key) -> Int {
        Int(truncatingIfNeeded: UInt(bitPattern: key.hashValue) % UInt(shardCount))
    }

    private mutating func evictIfNeeded() {
        while count > countMax, orderHead < order.count {
            self[order[orderHead]] = nil
            orderHead += 1
        }
        if orderHead > 4096, orderHead * 2 > order.count {
            order.removeFirst(orderHead)
            orderHead = 0
        }
    }
}
