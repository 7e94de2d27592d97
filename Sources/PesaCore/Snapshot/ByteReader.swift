/// Reads what `ByteWriter` wrote, checking every length against the bytes left (a truncated or damaged
/// payload throws `snapshotCorrupt`, never crashes).
struct ByteReader {
    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - position }

    private mutating func take(_ count: Int, _ what: String) throws(PesaCoreError) -> Range<Int> {
        guard count >= 0, count <= remaining else {
            throw .snapshotCorrupt("payload ends inside \(what) at byte \(position)")
        }
        defer { position += count }
        return position..<(position + count)
    }

    mutating func u8(_ what: String) throws(PesaCoreError) -> UInt8 {
        bytes[try take(1, what).lowerBound]
    }

    mutating func bool(_ what: String) throws(PesaCoreError) -> Bool {
        switch try u8(what) {
        case 0: return false
        case 1: return true
        default: throw .snapshotCorrupt("\(what): flag byte other than 0 or 1 at byte \(position - 1)")
        }
    }

    mutating func u32(_ what: String) throws(PesaCoreError) -> UInt32 {
        let range = try take(4, what)
        var value: UInt32 = 0
        for index in range.reversed() { value = (value << 8) | UInt32(bytes[index]) }
        return value
    }

    mutating func u64(_ what: String) throws(PesaCoreError) -> UInt64 {
        let range = try take(8, what)
        var value: UInt64 = 0
        for index in range.reversed() { value = (value << 8) | UInt64(bytes[index]) }
        return value
    }

    mutating func i64(_ what: String) throws(PesaCoreError) -> Int64 { Int64(bitPattern: try u64(what)) }

    /// A count that must fit in the bytes left, at `minimumBytesEach` bytes per item.
    mutating func count(_ what: String, minimumBytesEach: Int) throws(PesaCoreError) -> Int {
        let value = try u64(what)
        guard value <= UInt64(remaining / max(minimumBytesEach, 1)) else {
            throw .snapshotCorrupt("\(what) count \(value) is larger than the payload")
        }
        return Int(value)
    }

    mutating func string(_ what: String) throws(PesaCoreError) -> String {
        let length = Int(try u32(what))
        let range = try take(length, what)
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw .snapshotCorrupt("\(what) is not UTF-8 at byte \(range.lowerBound)")
        }
        return text
    }

    mutating func optionalString(_ what: String) throws(PesaCoreError) -> String? {
        try bool(what) ? try string(what) : nil
    }

    mutating func optionalI64(_ what: String) throws(PesaCoreError) -> Int64? {
        try bool(what) ? try i64(what) : nil
    }

    mutating func raw(_ count: Int, _ what: String) throws(PesaCoreError) -> ArraySlice<UInt8> {
        bytes[try take(count, what)]
    }

    /// A column of `count` fixed-width little-endian integers left in place: the reader shares the
    /// payload with it.
    mutating func sharedColumn<Value: FixedWidthInteger & Sendable>(
        _ count: Int, of: Value.Type, _ what: String
    ) throws(PesaCoreError) -> SharedColumn<Value> {
        let (total, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Value>.size)
        guard !overflow else { throw .snapshotCorrupt("\(what) column too large") }
        let range = try take(total, what)
        return SharedColumn(sharing: bytes, start: range.lowerBound, count: count)
    }

    /// A column of `count` fixed-width little-endian integers, copied in one go.
    mutating func column<Value: FixedWidthInteger>(
        _ count: Int, of: Value.Type, _ what: String
    ) throws(PesaCoreError) -> [Value] {
        let width = MemoryLayout<Value>.size
        let (total, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow else { throw .snapshotCorrupt("\(what) column too large") }
        let range = try take(total, what)
        let values = [Value](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { source in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[range]))
            }
            initialized = count
        }
        #if _endian(little)
            return values
        #else
            return values.map { Value(littleEndian: $0) }
        #endif
    }
}
