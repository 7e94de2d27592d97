import PesaCore

/// One journal line, byte for byte (data-layout.md, "Journal lines"):
///
///     {"v":1,"seq":7,"at_ms":1764331200000,"type":"payment.settled","data":{...},"prev":"<hex>","hash":"<hex>"}\n
///
/// The keys always appear in this order. `hash` is the SHA-256 of every byte of the line before
/// `,"hash":"`, so it covers `prev` and the chain continues line to line. `data` is a canonical JSON
/// object (sorted keys, no whitespace) that the store does not interpret.
public struct JournalRecord: Sendable {
    public let formatVersion: Int
    public let seq: UInt64
    public let atMs: Int64
    public let type: String
    public let data: ArraySlice<UInt8>
    public let prev: ChainHash
    public let hash: ChainHash
}

/// An event to append, before the journal gives it a sequence number.
public struct NewEvent: Sendable {
    public let type: String
    public let data: [UInt8]
    public let atMs: Int64

    public init(type: String, data: [UInt8], atMs: Int64) {
        self.type = type
        self.data = data
        self.atMs = atMs
    }
}

enum JournalLine {
    static let formatVersion = 1
    /// `,"prev":"` + 64 + `"` + `,"hash":"` + 64 + `"}` — the fixed-width end of every line (without `\n`).
    static let suffixBytes = 9 + 64 + 1 + 9 + 64 + 2
    private static let hashMarkerBytes = 9 + 64 + 2

    /// The event type names the store accepts: lowercase letters, digits, `_`, `.` and `-`, 1 to 64 of them.
    static func isValidType(_ type: String) -> Bool {
        let utf8 = type.utf8
        guard (1...64).contains(utf8.count) else { return false }
        return utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5f || byte == 0x2e
                || byte == 0x2d
        }
    }

    /// The bytes of a line besides its type and data, at most: the envelope's keys and punctuation (40), a
    /// sequence number and a time of up to 20 characters each, `prev` and `hash` (149), and the `\n` (1).
    static let envelopeBytesMax = 40 + 20 + 20 + suffixBytes + 1

    /// Whether an event's line is within `Limits.journalLineBytesMax` (its `\n` counted) whatever its sequence
    /// number and time.
    static func fits(type: String, dataBytes: Int) -> Bool {
        envelopeBytesMax + type.utf8.count + dataBytes <= Limits.journalLineBytesMax
    }

    /// Encodes a line including its trailing newline; returns the bytes and the line's hash.
    static func encode(seq: UInt64, event: NewEvent, prev: ChainHash) -> (bytes: [UInt8], hash: ChainHash) {
        var line: [UInt8] = []
        line.reserveCapacity(event.data.count + 220)
        line.append(contentsOf: #"{"v":\#(formatVersion),"seq":\#(seq),"at_ms":\#(event.atMs),"type":""#.utf8)
        line.append(contentsOf: event.type.utf8)
        line.append(contentsOf: #"","data":"#.utf8)
        line.append(contentsOf: event.data)
        line.append(contentsOf: #","prev":""#.utf8)
        line.append(contentsOf: prev.hexBytes)
        line.append(UInt8(ascii: "\""))
        let hash = ChainHash.of(line)
        line.append(contentsOf: #","hash":""#.utf8)
        line.append(contentsOf: hash.hexBytes)
        line.append(contentsOf: "\"}\n".utf8)
        return (line, hash)
    }

    enum ParseFailure: Error, Equatable {
        case malformed(String)
        case hashMismatch
        case newerFormat(Int)
    }

    /// Parses one line (without its `\n`) and checks its own hash. The chain (`prev`) and the sequence
    /// are checked by the caller, which knows what came before.
    static func parse(_ line: ArraySlice<UInt8>) -> Result<JournalRecord, ParseFailure> {
        var cursor = Cursor(bytes: line)
        guard cursor.expect(#"{"v":"#) else { return .failure(.malformed("does not start with {\"v\":")) }
        guard let version = cursor.readInteger() else { return .failure(.malformed("bad format version")) }
        guard version <= formatVersion else { return .failure(.newerFormat(Int(version))) }
        guard version >= 1 else { return .failure(.malformed("bad format version")) }
        guard cursor.expect(#","seq":"#), let seq = cursor.readInteger(), seq >= 1 else {
            return .failure(.malformed("bad seq"))
        }
        guard cursor.expect(#","at_ms":"#), let atMs = cursor.readInteger() else {
            return .failure(.malformed("bad at_ms"))
        }
        guard cursor.expect(#","type":""#), let type = cursor.readUntilQuote(), isValidType(type) else {
            return .failure(.malformed("bad type"))
        }
        guard cursor.expect(#"","data":"#) else { return .failure(.malformed("no data")) }
        let end = line.endIndex
        guard end - cursor.index >= suffixBytes + 2 else { return .failure(.malformed("line too short")) }
        let suffixStart = end - suffixBytes
        var tail = Cursor(bytes: line[suffixStart...])
        guard tail.expect(#","prev":""#), let prev = tail.readHash(), tail.expect(#"","hash":""#),
            let hash = tail.readHash(), tail.expect(#""}"#)
        else { return .failure(.malformed("bad prev/hash ending")) }
        let data = line[cursor.index..<suffixStart]
        guard data.first == UInt8(ascii: "{"), data.last == UInt8(ascii: "}") else {
            return .failure(.malformed("data is not a JSON object"))
        }
        guard ChainHash.of(line[line.startIndex..<(end - hashMarkerBytes)]) == hash else {
            return .failure(.hashMismatch)
        }
        let record = JournalRecord(
            formatVersion: Int(version), seq: UInt64(seq), atMs: atMs, type: type, data: data, prev: prev, hash: hash)
        return .success(record)
    }
}

/// A forward reader over a line's bytes.
private struct Cursor {
    let bytes: ArraySlice<UInt8>
    var index: Int

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    mutating func expect(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.endIndex - index >= count else { return false }
        let matches = literal.withUTF8Buffer { expected in
            var offset = 0
            while offset < count {
                if bytes[index + offset] != expected[offset] { return false }
                offset += 1
            }
            return true
        }
        if matches { index += count }
        return matches
    }

    /// An optional minus sign and 1 to 19 digits, no leading zeros.
    mutating func readInteger() -> Int64? {
        var negative = false
        if index < bytes.endIndex && bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value: Int64 = 0
        while index < bytes.endIndex, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            guard index - start < 18 else { return nil }
            value = value * 10 + Int64(bytes[index] - 0x30)
            index += 1
        }
        let length = index - start
        guard length > 0, !(length > 1 && bytes[start] == 0x30) else { return nil }
        return negative ? -value : value
    }

    mutating func readUntilQuote() -> String? {
        let start = index
        while index < bytes.endIndex, bytes[index] != UInt8(ascii: "\"") { index += 1 }
        guard index < bytes.endIndex else { return nil }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func readHash() -> ChainHash? {
        guard bytes.endIndex - index >= 64 else { return nil }
        let hash = ChainHash(hex: bytes[index..<(index + 64)])
        index += 64
        return hash
    }
}
