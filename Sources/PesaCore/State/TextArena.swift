/// The bytes of the payment table's text records, addressed by one position space: positions below
/// `baseCount` lie in `base` (a region of a snapshot payload, shared with it, not copied), the rest in
/// `tail` (records written since). Sharing the payload keeps a loaded tenant from holding its texts twice.
struct TextArena: Sendable {
    private(set) var base: [UInt8] = []
    private(set) var baseStart = 0
    private(set) var baseCount = 0
    private(set) var tail: [UInt8] = []

    init() {}

    /// An arena whose first `range.count` positions are `payload[range]`, without copying.
    init(sharing payload: [UInt8], range: Range<Int>) {
        base = payload
        baseStart = range.lowerBound
        baseCount = range.count
    }

    var count: Int { baseCount + tail.count }

    subscript(position: Int) -> UInt8 {
        position < baseCount ? base[baseStart + position] : tail[position - baseCount]
    }

    /// A record's or a text's bytes; a range never spans both parts.
    subscript(range: Range<Int>) -> ArraySlice<UInt8> {
        if range.upperBound <= baseCount {
            return base[(baseStart + range.lowerBound)..<(baseStart + range.upperBound)]
        }
        return tail[(range.lowerBound - baseCount)..<(range.upperBound - baseCount)]
    }

    mutating func append(contentsOf bytes: [UInt8]) { tail.append(contentsOf: bytes) }

    /// Replaces everything (after a compaction): the base is released.
    mutating func replaceAll(with bytes: [UInt8]) {
        base = []
        baseStart = 0
        baseCount = 0
        tail = bytes
    }

    /// Both parts as buffers, for tight loops: `body(base, tail)`; position p is `base[p]` when
    /// p < base.count, else `tail[p - base.count]`.
    func withBuffers<Result>(
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        base.withUnsafeBufferPointer { whole in
            tail.withUnsafeBufferPointer { tail in
                body(UnsafeBufferPointer(rebasing: whole[baseStart..<(baseStart + baseCount)]), tail)
            }
        }
    }
}
