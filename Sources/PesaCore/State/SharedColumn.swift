/// A column of fixed-width values that never change once appended (ids, amounts, creation times). The
/// first `baseCount` rows are read in place from a snapshot payload (little-endian, shared, not copied);
/// rows appended later live in `tail`, chunked (see `ChunkedArray`).
struct SharedColumn<Element: FixedWidthInteger & Sendable>: Sendable {
    private var base: [UInt8] = []
    private var baseStart = 0
    private(set) var baseCount = 0
    private var tail = ChunkedArray<Element>()

    init() {}

    /// `count` values starting at byte `start` of `payload`, which must hold them.
    init(sharing payload: [UInt8], start: Int, count: Int) {
        precondition(start >= 0 && start + count * MemoryLayout<Element>.size <= payload.count, "column out of range")
        base = payload
        baseStart = start
        baseCount = count
    }

    var count: Int { baseCount + tail.count }

    subscript(row: Int) -> Element {
        guard row < baseCount else { return tail[row - baseCount] }
        precondition(row >= 0, "row out of range")
        let offset = baseStart + row * MemoryLayout<Element>.size
        return base.withUnsafeBytes { raw in
            Element(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Element.self))
        }
    }

    mutating func append(_ value: Element) { tail.append(value) }

    /// Every value through `body(row, value)`, in row order, without a retain per access.
    func forEach(_ body: (Int, Element) -> Void) {
        base.withUnsafeBytes { raw in
            let size = MemoryLayout<Element>.size
            for row in 0..<baseCount {
                let value = raw.loadUnaligned(fromByteOffset: baseStart + row * size, as: Element.self)
                body(row, Element(littleEndian: value))
            }
        }
        var row = baseCount
        for chunk in tail.chunks {
            for value in chunk {
                body(row, value)
                row += 1
            }
        }
    }

    /// Writes every value, little-endian, with no count.
    func write(to writer: inout ByteWriter) {
        writer.raw(base, range: baseStart..<(baseStart + baseCount * MemoryLayout<Element>.size))
        writer.column(tail)
    }

    static func == (lhs: SharedColumn, rhs: SharedColumn) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for row in 0..<lhs.count where lhs[row] != rhs[row] { return false }
        return true
    }
}
