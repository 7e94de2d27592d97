/// An array kept as fixed-size chunks of 4,096 elements, for the payment table's columns.
///
/// The engine hands a copy of the state to a background snapshot and keeps changing its own. With one
/// contiguous array per column, the first change after that copy duplicated the whole column, and an
/// append past the capacity reallocated and copied it: pauses that grow with the tenant (tens of ms at
/// 50,000 payments, under the engine's lock, so every request waited). Here a change copies only its
/// chunk, and an append moves at most the newest chunk.
struct ChunkedArray<Element: Sendable>: Sendable {
    static var chunkShift: Int { 12 }
    static var chunkCount: Int { 1 << chunkShift }
    static var chunkMask: Int { chunkCount - 1 }

    private(set) var chunks: [[Element]] = []
    private(set) var count = 0

    init() {}

    init(_ elements: [Element]) {
        chunks.reserveCapacity((elements.count + Self.chunkMask) >> Self.chunkShift)
        var start = 0
        while start < elements.count {
            let end = min(start + Self.chunkCount, elements.count)
            chunks.append(Array(elements[start..<end]))
            start = end
        }
        count = elements.count
    }

    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "index out of range")
            return chunks[index >> Self.chunkShift][index & Self.chunkMask]
        }
        set {
            precondition(index >= 0 && index < count, "index out of range")
            chunks[index >> Self.chunkShift][index & Self.chunkMask] = newValue
        }
    }

    mutating func append(_ element: Element) {
        // A new chunk grows as arrays do (a small tenant holds no empty capacity); it copies at most a chunk.
        if count & Self.chunkMask == 0 { chunks.append([]) }
        chunks[chunks.count - 1].append(element)
        count += 1
    }
}

extension ChunkedArray: Equatable where Element: Equatable {}

extension ByteWriter {
    /// A chunked column, written exactly as `column(_:)` writes the same values in one array.
    mutating func column<Value: FixedWidthInteger & Sendable>(_ values: ChunkedArray<Value>) {
        for chunk in values.chunks { column(chunk) }
    }
}
