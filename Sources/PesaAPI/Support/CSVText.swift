import CSV
import Foundation

/// CSV through CSV.swift (a field holding a comma, quote or line break is quoted, its quotes doubled), a batch of
/// rows at a time so that a long export is written in chunks, with each row ended by a line feed: chunks
/// written one after another make one file.
enum CSVText {
    /// `rows` as CSV bytes.
    static func encode(_ rows: [[String]]) throws -> [UInt8] {
        let sink = ByteSink(toMemory: ())
        let writer = try CSVWriter(stream: sink)
        for row in rows { try writer.write(row: row) }
        if !rows.isEmpty { sink.bytes.append(UInt8(ascii: "\n")) }
        return sink.bytes
    }

    /// A text cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab or carriage return first) gets
    /// a leading apostrophe. For texts that came from outside (a customer's reference, a phone, a receipt); never
    /// for the gateway's own numbers, which it writes unsigned.
    static func safe(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    /// Collects what CSV.swift writes, a byte at a time, into an array (a memory `OutputStream` pays a call into
    /// CoreFoundation for each byte).
    private final class ByteSink: OutputStream {
        var bytes: [UInt8] = []
        private var status = Stream.Status.notOpen

        required init(toMemory: ()) {
            super.init(toMemory: ())
        }

        override var streamStatus: Stream.Status { status }
        override var hasSpaceAvailable: Bool { true }
        override func open() { status = .open }
        override func close() { status = .closed }

        override func write(_ buffer: UnsafePointer<UInt8>, maxLength length: Int) -> Int {
            bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: length))
            return length
        }
    }
}
