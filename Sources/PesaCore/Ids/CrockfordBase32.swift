/// Crockford's base32 in lower case (`0-9a-z` without `i l o u`), big-endian, with the leading padding
/// bits zero: 16 bytes give 26 characters. Decoding is case-insensitive and strict (no `i l o u`, no
/// padding bits set), so every accepted text has exactly one canonical spelling.
public enum CrockfordBase32 {
    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, char) in alphabet.enumerated() {
            table[Int(char)] = UInt8(index)
            if char >= UInt8(ascii: "a") { table[Int(char) - 32] = UInt8(index) }
        }
        return table
    }()

    /// Characters needed for `byteCount` bytes.
    public static func characterCount(forBytes byteCount: Int) -> Int { (byteCount * 8 + 4) / 5 }

    public static func encode(_ bytes: [UInt8]) -> String {
        let count = characterCount(forBytes: bytes.count)
        var output = [UInt8](repeating: 0, count: count)
        let padBits = count * 5 - bytes.count * 8
        var accumulator: UInt32 = 0
        var bits = padBits
        var position = 0
        for byte in bytes {
            accumulator = (accumulator << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output[position] = alphabet[Int((accumulator >> UInt32(bits)) & 31)]
                position += 1
            }
            accumulator &= (1 << UInt32(bits)) - 1
        }
        precondition(position == count && bits == 0, "base32 encoding lost bits")
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of a text of exactly `characterCount(forBytes: byteCount)` characters, or nil.
    public static func decode(_ text: Substring, byteCount: Int) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count == characterCount(forBytes: byteCount) else { return nil }
        var output = [UInt8]()
        output.reserveCapacity(byteCount)
        var accumulator: UInt32 = 0
        var bits = -(utf8.count * 5 - byteCount * 8)
        for char in utf8 {
            let value = values[Int(char)]
            guard value != 0xFF else { return nil }
            accumulator = (accumulator << 5) | UInt32(value)
            bits += 5
            // The leading padding bits must be zero: nothing may sit above the `bits` valid bits.
            guard bits >= 0 ? (accumulator >> UInt32(bits)) == 0 : accumulator == 0 else { return nil }
            if bits >= 8 {
                bits -= 8
                output.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        guard output.count == byteCount, bits == 0 else { return nil }
        return output
    }

    /// A valid 26-character body of 16 bytes as two big-endian words, without allocating.
    static func decodeWords(_ text: Substring.UTF8View) -> (high: UInt64, low: UInt64)? {
        guard text.count == 26 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for char in text {
            let value = values[Int(char)]
            guard value != 0xFF else { return nil }
            high = (high << 5) | (low >> 59)
            low = (low << 5) | UInt64(value)
        }
        return (high, low)
    }
}
