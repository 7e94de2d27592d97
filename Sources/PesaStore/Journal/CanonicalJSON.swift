import PesaCore

/// Whether a line's `data` is written canonically (data-layout.md, "Canonical JSON"), so that one event has
/// exactly one byte form and a line whose hash is right but whose `data` was written differently (keys out of
/// order, whitespace, other escapes) is refused rather than read as the same event:
///
/// - an object at the top; values are objects, arrays, strings, integers, `true` or `false` (never `null`:
///   an absent field is omitted) nested at most `Limits.journalDataDepthMax` deep;
/// - no whitespace outside strings; object keys strictly ascending in the byte order of their UTF-8
///   (so no key twice);
/// - integers as `-?(0|[1-9][0-9]*)` that fit in 64 bits, never `-0`, no fraction or exponent;
/// - strings in valid UTF-8 with every character as itself except `"` → `\"`, `\` → `\\`, backspace `\b`,
///   tab `\t`, newline `\n`, form feed `\f`, carriage return `\r`, and the other characters below U+0020 as
///   `\u00XX` with lower-case hex digits; `/`, DEL and everything above U+007F are written raw.
enum CanonicalJSON {
    static func isCanonicalObject(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.first == UInt8(ascii: "{"), String(validating: bytes, as: UTF8.self) != nil else { return false }
        var reader = Reader(bytes: bytes)
        return reader.value(depth: 1) && reader.index == bytes.endIndex
    }

    private struct Reader {
        let bytes: ArraySlice<UInt8>
        var index: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            self.index = bytes.startIndex
        }

        private var current: UInt8? { index < bytes.endIndex ? bytes[index] : nil }

        mutating func value(depth: Int) -> Bool {
            guard depth <= Limits.journalDataDepthMax, let byte = current else { return false }
            switch byte {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            default: return integer()
            }
        }

        private mutating func object(depth: Int) -> Bool {
            index += 1
            if current == UInt8(ascii: "}") {
                index += 1
                return true
            }
            var previousKey: [UInt8]?
            while true {
                guard current == UInt8(ascii: "\""), let key = string() else { return false }
                if let previousKey, !previousKey.lexicographicallyPrecedes(key) { return false }
                previousKey = key
                guard current == UInt8(ascii: ":") else { return false }
                index += 1
                guard value(depth: depth + 1) else { return false }
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return true
                default: return false
                }
            }
        }

        private mutating func array(depth: Int) -> Bool {
            index += 1
            if current == UInt8(ascii: "]") {
                index += 1
                return true
            }
            while true {
                guard value(depth: depth + 1) else { return false }
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return true
                default: return false
                }
            }
        }

        /// Reads a string at `index` (on its opening quote); returns its decoded UTF-8 bytes, or nil when it is
        /// not written canonically.
        private mutating func string() -> [UInt8]? {
            index += 1
            var decoded: [UInt8] = []
            while let byte = current {
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return decoded
                case UInt8(ascii: "\\"):
                    guard let escaped = escape() else { return nil }
                    decoded.append(escaped)
                case 0x00..<0x20:
                    return nil
                default:
                    decoded.append(byte)
                }
            }
            return nil
        }

        /// The byte an escape stands for, when it is the one canonical escape of that byte.
        private mutating func escape() -> UInt8? {
            guard let byte = current else { return nil }
            index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): return byte
            case UInt8(ascii: "b"): return 0x08
            case UInt8(ascii: "t"): return 0x09
            case UInt8(ascii: "n"): return 0x0a
            case UInt8(ascii: "f"): return 0x0c
            case UInt8(ascii: "r"): return 0x0d
            case UInt8(ascii: "u"):
                guard bytes.endIndex - index >= 4, bytes[index] == UInt8(ascii: "0"),
                    bytes[index + 1] == UInt8(ascii: "0"), let high = Self.lowerHexValue(bytes[index + 2]), high <= 1,
                    let low = Self.lowerHexValue(bytes[index + 3])
                else { return nil }
                index += 4
                let value = high << 4 | low
                // Characters with a short escape are never written as \u00XX.
                guard ![0x08, 0x09, 0x0a, 0x0c, 0x0d].contains(value) else { return nil }
                return value
            default:
                return nil
            }
        }

        private static func lowerHexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            default: nil
            }
        }

        private mutating func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard bytes.endIndex - index >= count else { return false }
            let matches = text.withUTF8Buffer { expected in bytes[index..<(index + count)].elementsEqual(expected) }
            if matches { index += count }
            return matches
        }

        /// `-?(0|[1-9][0-9]*)` within Int64, not `-0`.
        private mutating func integer() -> Bool {
            let negative = current == UInt8(ascii: "-")
            if negative { index += 1 }
            let start = index
            var magnitude: UInt64 = 0
            while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let (times, overflowTimes) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflowSum) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                guard !overflowTimes, !overflowSum else { return false }
                magnitude = sum
                index += 1
            }
            let digits = index - start
            guard digits > 0, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return false }
            if negative { return magnitude != 0 && magnitude <= UInt64(Int64.max) + 1 }
            return magnitude <= UInt64(Int64.max)
        }
    }
}
