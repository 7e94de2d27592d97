import PesaCore

/// Token buckets by key, bounded to `countMax` entries. When full, buckets that have refilled completely
/// (they remember nothing) are dropped first; if none has, an arbitrary one is. Not thread-safe: owners keep
/// it inside a `Mutex`.
struct BucketTable: Sendable {
    private(set) var buckets: [String: TokenBucket] = [:]
    let countMax: Int

    init(countMax: Int) {
        precondition(countMax >= 1, "a bucket table holds at least one bucket")
        self.countMax = countMax
    }

    /// The bucket for `key`, made by `make` when absent or when `isStale` says it no longer fits.
    mutating func withBucket<T>(
        _ key: String, nowMs: Int64, make: () -> TokenBucket, isStale: (TokenBucket) -> Bool = { _ in false },
        _ body: (inout TokenBucket) -> T
    ) -> T {
        var bucket = buckets[key].flatMap { isStale($0) ? nil : $0 } ?? make()
        if buckets[key] == nil, buckets.count >= countMax { evict(nowMs: nowMs) }
        let result = body(&bucket)
        buckets[key] = bucket
        return result
    }

    /// The bucket for `key` if there is one (read only).
    func bucket(_ key: String) -> TokenBucket? { buckets[key] }

    /// Keeps `bucket` under `key`, making room first when `key` is new and the table is full.
    mutating func store(_ key: String, _ bucket: TokenBucket, nowMs: Int64) {
        if buckets[key] == nil, buckets.count >= countMax { evict(nowMs: nowMs) }
        buckets[key] = bucket
    }

    mutating func remove(_ key: String) { buckets[key] = nil }

    private mutating func evict(nowMs: Int64) {
        buckets = buckets.filter { $0.value.remaining(nowMs: nowMs) < $0.value.capacity }
        if buckets.count >= countMax, let victim = buckets.keys.first { buckets[victim] = nil }
    }
}
