/// One text of a payment row as stored: a header byte, then the body.
///
/// | header | body | text |
/// |---|---|---|
/// | 0...239 | that many UTF-8 bytes | the bytes |
/// | 240 | 32 bytes | their 64-character lower-case hex (a SHA-256 request hash) |
/// | 241 | 16 bytes | their lower-case UUID text `8-4-4-4-12` (a typical idempotency key) |
///
/// Every text has exactly one encoding (the binary forms are used whenever the text has their exact
/// shape), so equal texts have equal bytes.
enum TextField {
    static let plainLengthMax: UInt8 = 239
    static let hexHeader: UInt8 = 240
    static let uuidHeader: UInt8 = 241

    static func isValidHeader(_ header: UInt8) -> Bool { header <= uuidHeader }

    static func bodyLength(_ header: UInt8) -> Int {
        switch header {
        case hexHeader: 32
        case uuidHeader: 16
        default: Int(header)
        }
    }

    /// Encodes a text of at most `plainLengthMax` UTF-8 bytes (longer texts are a programming error).
    static func encode(_ text: String, into bytes: inout [UInt8]) {
        let utf8 = Array(text.utf8)
        if utf8.count == 64, let body = hexBytes(utf8[...]) {
            bytes.append(hexHeader)
            bytes.append(contentsOf: body)
        } else if utf8.count == 36, let body = uuidBytes(utf8) {
            bytes.append(uuidHeader)
            bytes.append(contentsOf: body)
        } else {
            precondition(utf8.count <= Int(plainLengthMax), "payment text longer than the field allows")
            bytes.append(UInt8(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    static func decode(header: UInt8, body: ArraySlice<UInt8>) -> String {
        switch header {
        case hexHeader: return hex(body)
        case uuidHeader:
            let text = Array(hex(body).utf8)
            let parts = [text[0..<8], text[8..<12], text[12..<16], text[16..<20], text[20..<32]]
            return parts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "-")
        default: return String(decoding: body, as: UTF8.self)
        }
    }

    static let digits = Array("0123456789abcdef".utf8)

    static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Lower-case hex only (upper case would not come back the same).
    static func hexBytes(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var high: UInt8?
        for char in text {
            let value: UInt8
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = char - UInt8(ascii: "a") + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return bytes
    }

    static func uuidBytes(_ text: [UInt8]) -> [UInt8]? {
        let dash = UInt8(ascii: "-")
        guard text[8] == dash, text[13] == dash, text[18] == dash, text[23] == dash else { return nil }
        let compact = text[0..<8] + text[9..<13] + text[14..<18] + text[19..<23] + text[24..<36]
        return hexBytes(compact[...])
    }
}
