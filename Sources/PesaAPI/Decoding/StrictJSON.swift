import PesaCore

/// The checks a request body passes before it is decoded, for what `JSONDecoder` lets through silently:
/// a key twice in one object (400 `MALFORMED_JSON`: which one would count is a guess), a control character
/// other than tab and newline in a string (422 naming the field: it would reach logs, journals and Daraja),
/// and a number written with an exponent or a fraction (422 naming the field: every number the API takes is
/// whole, amounts in whole shillings, written plainly; `JSONDecoder` answers a fraction for an integer field as
/// malformed JSON without naming it). The body is at most `Limits.requestBodyBytesMax`, so one pass costs
/// little. Malformed JSON is left to the decoder, which answers it.
struct StrictJSON {
    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func check(_ bytes: [UInt8]) throws(APIError) {
        var scanner = StrictJSON(bytes)
        scanner.skipSpace()
        guard scanner.index < bytes.count else { return }
        try scanner.value(path: "", depth: 0)
    }

    private mutating func value(path: String, depth: Int) throws(APIError) {
        guard depth <= Limits.journalDataDepthMax else { throw .malformedJSON("the JSON body nests too deep") }
        skipSpace()
        guard index < bytes.count else { return }
        switch bytes[index] {
        case UInt8(ascii: "{"): try object(path: path, depth: depth)
        case UInt8(ascii: "["): try array(path: path, depth: depth)
        case UInt8(ascii: "\""):
            guard let text = try string() else { return }
            let bad = text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" && $0 != "\n" }
            if bad {
                throw .invalidField(
                    path, "\(path) may not hold control characters (other than tab and newline)")
            }
        default: try number(path: path)
        }
    }

    private mutating func object(path: String, depth: Int) throws(APIError) {
        index += 1
        var keys: Set<String> = []
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] != UInt8(ascii: "}") else {
                index += 1
                return
            }
            guard bytes[index] == UInt8(ascii: "\""), let key = try string() else { return }
            guard keys.insert(key).inserted else {
                throw .malformedJSON("the key \"\(Self.printable(key))\" appears twice in one JSON object")
            }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return }
            index += 1
            try value(path: path.isEmpty ? key : path + "." + key, depth: depth + 1)
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { continue }
            index += 1
        }
    }

    private mutating func array(path: String, depth: Int) throws(APIError) {
        index += 1
        var position = 0
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] != UInt8(ascii: "]") else {
                index += 1
                return
            }
            try value(path: "\(path)[\(position)]", depth: depth + 1)
            position += 1
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { continue }
            index += 1
        }
    }

    /// A number (or `true`, `false`, `null`): its characters up to the next delimiter (at least one, so that
    /// malformed input always moves the scan on).
    private mutating func number(path: String) throws(APIError) {
        let start = index
        while index < bytes.count, !Self.delimiters.contains(bytes[index]) { index += 1 }
        if index == start {
            index += 1
            return
        }
        let token = bytes[start..<index]
        guard let first = token.first, first == UInt8(ascii: "-") || (0x30...0x39).contains(first) else { return }
        if token.contains(UInt8(ascii: "e")) || token.contains(UInt8(ascii: "E")) {
            throw .invalidField(path, "\(path) must be written as a plain number, without an exponent")
        }
        if token.contains(UInt8(ascii: ".")) {
            throw .invalidField(path, "\(path) must be a whole number (amounts are whole shillings, without cents)")
        }
    }

    /// A string starting at `index` (a quote), unescaped; nil when it does not end (the decoder answers that).
    private mutating func string() throws(APIError) -> String? {
        index += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                return String(scalars)
            }
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll(keepingCapacity: true)
                index += 1
                switch bytes[index] {
                case UInt8(ascii: "u"):
                    guard index + 4 < bytes.count,
                        let code = UInt32(String(decoding: bytes[(index + 1)...(index + 4)], as: UTF8.self), radix: 16)
                    else { return nil }
                    // A surrogate half stands for no scalar alone; its pair is not needed for these checks.
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    index += 4
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                default: scalars.append(Unicode.Scalar(bytes[index]))
                }
                index += 1
                continue
            }
            raw.append(byte)
            index += 1
        }
        return nil
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private static let delimiters: Set<UInt8> = [
        UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D,
    ]

    /// A key as an error message may show it: printable ASCII, at most 40 characters.
    private static func printable(_ key: String) -> String {
        String(key.unicodeScalars.prefix(40).map { $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
    }
}
