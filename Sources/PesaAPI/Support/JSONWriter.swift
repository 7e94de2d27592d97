import Hummingbird
import NIOCore

/// Writes a JSON answer straight into bytes, for the answers every integration asks for again and again
/// (organizations, payments, lists of them): Foundation's `JSONEncoder` was the largest single cost of such a
/// request. Same output rules as the answers' encoder: `/` not escaped, absent optionals omitted, UTF-8.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the innermost open object or array already has a member (a comma goes before the next).
    private var hasMember: [Bool] = []

    init(reservingCapacity capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        open(UInt8(ascii: "{"))
        body(&self)
        close(UInt8(ascii: "}"))
    }

    mutating func array<Items: Sequence>(_ items: Items, _ write: (inout JSONWriter, Items.Element) -> Void) {
        open(UInt8(ascii: "["))
        for item in items {
            separate()
            write(&self, item)
        }
        close(UInt8(ascii: "]"))
    }

    /// A member's key; its value follows.
    mutating func key(_ key: String) {
        separate()
        string(key)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func field(_ name: String, _ value: Int64?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A number given as its JSON text (`10.5`), written as it is.
    mutating func field(_ name: String, number text: String) {
        key(name)
        bytes.append(contentsOf: text.utf8)
    }

    mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// `"name":null` when `value` is nil (a member the contract always shows).
    mutating func fieldOrNull(_ name: String, _ value: String?) {
        key(name)
        if let value { string(value) } else { bytes.append(contentsOf: "null".utf8) }
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func separate() {
        guard let last = hasMember.indices.last else { return }
        if hasMember[last] { bytes.append(UInt8(ascii: ",")) }
        hasMember[last] = true
    }

    private mutating func open(_ byte: UInt8) {
        bytes.append(byte)
        hasMember.append(false)
    }

    private mutating func close(_ byte: UInt8) {
        hasMember.removeLast()
        bytes.append(byte)
    }
}

/// An answer that writes itself with `JSONWriter`.
protocol JSONWritable {
    func write(to json: inout JSONWriter)
}

extension JSONWritable {
    /// The written JSON as a 200 answer, with the headers `JSONEncoder`'s answers carry.
    func jsonResponse() -> Response {
        var json = JSONWriter()
        write(to: &json)
        return Response.json(json.bytes)
    }
}

extension Response {
    /// Ready JSON bytes as an answer, with the headers `JSONEncoder`'s answers carry.
    static func json(_ bytes: some Collection<UInt8>, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(bytes.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
