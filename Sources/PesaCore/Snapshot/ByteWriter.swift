/// Appends little-endian integers and length-prefixed UTF-8 to a byte buffer (the snapshot format).
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }

    /// u32 byte count, then the UTF-8 bytes.
    mutating func string(_ value: String) {
        let utf8 = value.utf8
        precondition(utf8.count <= Int(UInt32.max), "string too long for a snapshot")
        u32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// u8 0 (absent) or 1 followed by the string.
    mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    mutating func optionalI64(_ value: Int64?) {
        bool(value != nil)
        if let value { i64(value) }
    }

    mutating func raw(_ value: [UInt8]) { bytes.append(contentsOf: value) }

    mutating func raw(_ value: ArraySlice<UInt8>) { bytes.append(contentsOf: value) }

    mutating func raw(_ value: [UInt8], range: Range<Int>) { bytes.append(contentsOf: value[range]) }

    /// A whole column of fixed-width integers, little-endian, with no count (the caller writes it).
    mutating func column<Value: FixedWidthInteger>(_ values: [Value]) {
        #if _endian(little)
            values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
            for value in values { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        #endif
    }
}
