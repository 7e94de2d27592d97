import Foundation
import PesaCore
import Testing

@testable import PesaStore

@Suite struct JournalLineTests {
    let event = NewEvent(
        type: "payment.settled", data: Array(#"{"amount":100,"id":"pay_1"}"#.utf8), atMs: 1_764_331_200_000)

    @Test func encodesTheDocumentedBytesAndParsesThemBack() throws {
        let line = JournalLine.encode(seq: 7, event: event, prev: .genesis)
        let text = String(decoding: line.bytes, as: UTF8.self)
        #expect(
            text.hasPrefix(
                #"{"v":1,"seq":7,"at_ms":1764331200000,"type":"payment.settled","data":{"amount":100,"id":"pay_1"},"#
                    + #""prev":"0000"#
            ))
        #expect(text.hasSuffix("\"}\n"))
        // The hash is the SHA-256 of everything before `,"hash":"`.
        let prefix = text.components(separatedBy: #","hash":""#)[0]
        #expect(ChainHash.of(Array(prefix.utf8)) == line.hash)
        let record = try JournalLine.parse(line.bytes.dropLast()).get()
        #expect(record.seq == 7)
        #expect(record.atMs == 1_764_331_200_000)
        #expect(record.type == "payment.settled")
        #expect(Array(record.data) == event.data)
        #expect(record.prev == .genesis)
        #expect(record.hash == line.hash)
    }

    @Test func everyFlippedByteIsDetected() {
        let line = Array(JournalLine.encode(seq: 1, event: event, prev: .genesis).bytes.dropLast())
        for offset in line.indices {
            var damaged = line
            damaged[offset] ^= 0x01
            if case .success = JournalLine.parse(damaged[...]) {
                Issue.record("a flipped byte at offset \(offset) went unnoticed")
            }
        }
    }

    @Test func theHashCoversThePreviousLine() {
        let first = JournalLine.encode(seq: 1, event: event, prev: .genesis)
        let second = JournalLine.encode(seq: 2, event: event, prev: first.hash)
        let other = JournalLine.encode(seq: 2, event: event, prev: .genesis)
        #expect(second.hash != other.hash)
    }

    @Test func newerFormatVersionsAreRefusedNotMisread() {
        var text = String(
            decoding: JournalLine.encode(seq: 1, event: event, prev: .genesis).bytes.dropLast(), as: UTF8.self)
        text = text.replacingOccurrences(of: #"{"v":1,"#, with: #"{"v":2,"#)
        guard case .failure(let failure) = JournalLine.parse(Array(text.utf8)[...]) else {
            Issue.record("a newer line was read")
            return
        }
        #expect(failure == .newerFormat(2))
    }

    /// The 64 KiB limit counts the whole line with its `\n`: the largest data an event type may carry makes a
    /// line of exactly 65,536 bytes with the longest sequence number and time; one byte more is refused.
    @Test func theLineLimitCountsTheNewlineAndHoldsForAnySequenceNumberAndTime() {
        let type = "payment.settled"
        let padding =
            Limits.journalLineBytesMax - JournalLine.envelopeBytesMax - type.utf8.count - #"{"p":""}"#.utf8.count
        let largest = NewEvent(
            type: type,
            data: Array(#"{"p":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: padding) + Array(#""}"#.utf8),
            atMs: Int64.min)
        #expect(Journal.fits(largest))
        #expect(
            JournalLine.encode(seq: UInt64.max, event: largest, prev: .genesis).bytes.count
                == Limits.journalLineBytesMax)
        let tooLarge = NewEvent(type: type, data: largest.data + [UInt8(ascii: " ")], atMs: 0)
        #expect(!Journal.fits(tooLarge))
    }

    @Test(arguments: ["", "UPPER", "has space", "quote\"", String(repeating: "a", count: 65)])
    func rejectsBadEventTypes(type: String) {
        #expect(!JournalLine.isValidType(type))
    }
}

