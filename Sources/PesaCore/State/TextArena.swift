/// The bytes of the payment table's text records, addressed by one position space: positions below
/// `baseCount` lie in `base` (a region of a snapshot payload, shared with it, not copied); the rest in
/// chunks of `chunkBytes`, written since. A record never spans two chunks.
///
/// Records are rewritten, not changed in place (a payment's texts grow as Daraja answers), so old
/// records become garbage. The arena keeps each chunk's live bytes and the rows that wrote into it; a
/// chunk that is mostly garbage is emptied by moving its few live records to the newest chunk
/// (`PaymentTable.compactChunks`), a bounded amount of work per write. The earlier design rewrote the
/// whole arena at once, and a chunk is also the unit copied when the engine's state was copied for a
/// snapshot: both were pauses that grew with the tenant.
///
/// Garbage in `base` is only counted: each base record dies at most once, so it stays below the base's
/// size, and the next snapshot leaves it out.
struct TextArena: Sendable {
    /// 64 KiB: a record is at most 15 fields of 1 + 255 bytes.
    static let chunkBytes = 1 << 16

    private(set) var base: [UInt8] = []
    private(set) var baseStart = 0
    private(set) var baseCount = 0
    private(set) var baseGarbage = 0
    private(set) var chunks: [Chunk] = []
    /// Chunks that became mostly garbage, to be emptied (may hold duplicates or already emptied chunks).
    private(set) var compactable: [Int] = []

    struct Chunk: Sendable {
        var bytes: [UInt8] = []
        /// Bytes of records that are still some row's current record.
        var liveBytes = 0
        /// Every row that wrote a record here (a row appears again if it wrote again).
        var rows: [UInt32] = []
    }

    init() {}

    /// An arena whose first `range.count` positions are `payload[range]`, without copying.
    init(sharing payload: [UInt8], range: Range<Int>) {
        base = payload
        baseStart = range.lowerBound
        baseCount = range.count
    }

    /// Bytes in use: the base, every chunk's written bytes.
    var usedBytes: Int { baseCount + chunks.reduce(0) { $0 + $1.bytes.count } }

    /// Bytes of current records (the rest is garbage).
    var liveBytes: Int { baseCount - baseGarbage + chunks.reduce(0) { $0 + $1.liveBytes } }

    subscript(position: Int) -> UInt8 {
        if position < baseCount { return base[baseStart + position] }
        let (chunk, offset) = Self.locate(position - baseCount)
        return chunks[chunk].bytes[offset]
    }

    /// A record's or a text's bytes; a range never spans two parts. An empty range may sit where a part
    /// ends (an empty last text of a record that fills its chunk).
    subscript(range: Range<Int>) -> ArraySlice<UInt8> {
        if range.isEmpty { return [] }
        if range.upperBound <= baseCount {
            return base[(baseStart + range.lowerBound)..<(baseStart + range.upperBound)]
        }
        let (chunk, offset) = Self.locate(range.lowerBound - baseCount)
        return chunks[chunk].bytes[offset..<(offset + range.count)]
    }

    private static func locate(_ chunkPosition: Int) -> (chunk: Int, offset: Int) {
        (chunkPosition / chunkBytes, chunkPosition % chunkBytes)
    }

    /// Appends `row`'s new record and returns where it starts.
    mutating func append(_ record: [UInt8], row: Int) -> Int {
        precondition(record.count <= Self.chunkBytes, "a text record is larger than a chunk")
        if chunks.isEmpty || chunks[chunks.count - 1].bytes.count + record.count > Self.chunkBytes {
            // The chunk being closed was never a candidate while it was the newest.
            if let closing = chunks.indices.last, isMostlyGarbage(closing) { compactable.append(closing) }
            chunks.append(Chunk())
        }
        let last = chunks.count - 1
        let position = baseCount + last * Self.chunkBytes + chunks[last].bytes.count
        chunks[last].bytes.append(contentsOf: record)
        chunks[last].liveBytes += record.count
        chunks[last].rows.append(UInt32(truncatingIfNeeded: row))
        return position
    }

    /// The record of `length` bytes at `position` is no longer current.
    mutating func release(at position: Int, length: Int) {
        guard position >= baseCount else {
            baseGarbage += length
            return
        }
        let chunk = Self.locate(position - baseCount).chunk
        let wasMostlyLive = !isMostlyGarbage(chunk)
        chunks[chunk].liveBytes -= length
        if wasMostlyLive, chunk < chunks.count - 1, isMostlyGarbage(chunk) { compactable.append(chunk) }
    }

    private func isMostlyGarbage(_ chunk: Int) -> Bool {
        chunks[chunk].liveBytes * 2 < chunks[chunk].bytes.count
    }

    /// The next chunk to empty, with the rows that wrote into it, or nil.
    mutating func takeCompactable() -> (chunk: Int, rows: [UInt32])? {
        while let chunk = compactable.popLast() {
            guard chunk < chunks.count - 1, !chunks[chunk].bytes.isEmpty else { continue }
            return (chunk, chunks[chunk].rows)
        }
        return nil
    }

    /// Whether `position` lies in `chunk`.
    func isIn(chunk: Int, position: Int) -> Bool {
        position >= baseCount && Self.locate(position - baseCount).chunk == chunk
    }

    /// Frees an emptied chunk (its live records were moved; its positions are never used again).
    mutating func free(chunk: Int) {
        precondition(chunks[chunk].liveBytes == 0, "a chunk with live records cannot be freed")
        chunks[chunk] = Chunk()
    }

    /// The base as a buffer, for tight loops over records loaded from a snapshot.
    func withBase<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        base.withUnsafeBufferPointer { whole in
            body(UnsafeBufferPointer(rebasing: whole[baseStart..<(baseStart + baseCount)]))
        }
    }
}
