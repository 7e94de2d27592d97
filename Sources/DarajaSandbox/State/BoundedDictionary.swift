/// A dictionary that forgets its oldest insertions beyond `countMax` (STYLE rule 13: a limit on everything).
struct BoundedDictionary<Key: Hashable, Value> {
    private(set) var storage: [Key: Value] = [:]
    private var order: [Key] = []
    private var orderHead = 0
    let countMax: Int

    init(countMax: Int) {
        precondition(countMax > 0, "a bounded dictionary needs room")
        self.countMax = countMax
    }

    subscript(key: Key) -> Value? {
        get { storage[key] }
        set {
            guard let newValue else {
                storage[key] = nil
                return
            }
            if storage.updateValue(newValue, forKey: key) == nil {
                order.append(key)
                evictIfNeeded()
            }
        }
    }

    var count: Int { storage.count }

    private mutating func evictIfNeeded() {
        while storage.count > countMax, orderHead < order.count {
            storage[order[orderHead]] = nil
            orderHead += 1
        }
        if orderHead > 4096, orderHead * 2 > order.count {
            order.removeFirst(orderHead)
            orderHead = 0
        }
    }
}
