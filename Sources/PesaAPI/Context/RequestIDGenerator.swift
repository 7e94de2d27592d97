import PesaCore

/// Request ids: a sane incoming `X-Request-Id` is kept (so a caller can correlate), anything else is
/// replaced by a fresh `req_…`.
public enum RequestIDGenerator {
    /// A fresh `req_` + 26 Crockford base32 characters (the text of `RequestID(randomBytes:)` of 16 random
    /// bytes, written directly: it runs on every request).
    public static func next() -> String {
        var generator = SystemRandomNumberGenerator()
        return text(high: generator.next(), low: generator.next())
    }

    /// `req_` + the 128-bit number `high ‖ low` in Crockford base32, as 130 bits with two leading zeros.
    static func text(high: UInt64, low: UInt64) -> String {
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
        var characters = Array("req_".utf8) + [UInt8](repeating: 0, count: 26)
        var (high, low) = (high, low)
        for index in stride(from: characters.count - 1, through: 4, by: -1) {
            characters[index] = alphabet[Int(low & 31)]
            low = (low >> 5) | (high << 59)
            high >>= 5
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// The incoming id if it is 1...`Limits.requestIDCharactersMax` characters of `[A-Za-z0-9._:-]`.
    public static func accepting(_ incoming: String?) -> String {
        guard let incoming, isSane(incoming) else { return next() }
        return incoming
    }

    static func isSane(_ text: String) -> Bool {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= Limits.requestIDCharactersMax else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"),
                UInt8(ascii: ":"):
                true
            default:
                false
            }
        }
    }
}
