/// Lower-case hexadecimal, for digests (SHA-256, HMAC) and key ids.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Whether `byte` is one of `0-9a-f`.
    public static func isLowerDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
    }

    /// The hex digits of `bytes`, as UTF-8 bytes.
    public static func encode(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return out
    }

    /// The hex digits of `bytes`, as text.
    public static func encodeString(_ bytes: some Sequence<UInt8>) -> String {
        String(decoding: encode(bytes), as: UTF8.self)
    }
}
