import PesaCore

/// Request ids: a sane incoming `X-Request-Id` is kept (so a caller can correlate), anything else is
/// replaced by a fresh `req_…`.
public enum RequestIDGenerator {
    /// A fresh `req_` + 26 Crockford base32 characters.
    public static func next() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<Limits.idRandomBytesCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return RequestID(randomBytes: bytes).rawValue
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
