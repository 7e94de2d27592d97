import PesaCore

/// Request ids: a sane incoming `X-Request-Id` is kept (so a caller can correlate), anything else is
/// replaced by a fresh `req_…`.
public enum RequestIDGenerator {
    /// A fresh `req_` + 26 Crockford base32 characters.
    public static func next() -> String {
        // Eight bytes per draw: the system generator makes a system call each time it is asked.
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Limits.idRandomBytesCount)
        while bytes.count < Limits.idRandomBytesCount {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) where bytes.count < Limits.idRandomBytesCount {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
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
