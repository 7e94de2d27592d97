import Foundation
public import PesaCore
public import PesaStore

/// A small event-sourced state for storage tests: it counts events, sums the `n` of each event's data
/// and folds every applied (seq, type, data) into a digest, so two states are equal only if they saw the
/// same events in the same order.
public struct LedgerTestState: EventSourcedState, Equatable {
    public static let snapshotFormatVersion = 1

    public private(set) var count: UInt64 = 0
    public private(set) var total: Int64 = 0
    public private(set) var lastSeq: UInt64 = 0
    public private(set) var digest: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The `id` of every applied event, in order (for "every acknowledged event is present").
    public private(set) var ids: [String] = []

    public init() {}

    struct EventData: Decodable {
        let id: String
        let n: Int64
    }

    public mutating func apply(eventType: String, data: ArraySlice<UInt8>, seq: UInt64, atMs: Int64)
        throws(EventDecodingError)
    {
        guard seq == lastSeq + 1 else {
            throw EventDecodingError(eventType: eventType, message: "seq \(seq) after \(lastSeq)")
        }
        guard let event = try? JSONDecoder().decode(EventData.self, from: Data(data)) else {
            throw EventDecodingError(eventType: eventType, message: "bad data")
        }
        count += 1
        total += event.n
        lastSeq = seq
        ids.append(event.id)
        for byte in Array(eventType.utf8) + Array(data) + withUnsafeBytes(of: seq.littleEndian, Array.init) {
            digest = (digest ^ UInt64(byte)) &* 0x100_0000_01b3
        }
    }

    public func snapshotPayload() -> [UInt8] {
        var bytes: [UInt8] = []
        for value in [count, UInt64(bitPattern: total), lastSeq, digest] {
            bytes += withUnsafeBytes(of: value.littleEndian, Array.init)
        }
        bytes += Array(ids.joined(separator: "\n").utf8)
        return bytes
    }

    public init(snapshotPayload: [UInt8], formatVersion: Int) throws(EventDecodingError) {
        guard formatVersion <= Self.snapshotFormatVersion else {
            throw EventDecodingError(eventType: "snapshot", message: "format \(formatVersion) is newer")
        }
        guard snapshotPayload.count >= 32 else { throw EventDecodingError(eventType: "snapshot", message: "short") }
        func word(_ index: Int) -> UInt64 {
            snapshotPayload[(index * 8)..<(index * 8 + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }
        count = word(0)
        total = Int64(bitPattern: word(1))
        lastSeq = word(2)
        digest = word(3)
        let text = String(decoding: snapshotPayload[32...], as: UTF8.self)
        ids = text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// An event for this state: `{"id":"<id>","n":<n>}`.
    public static func event(id: String, n: Int64, atMs: Int64 = 1_764_331_200_000) -> NewEvent {
        NewEvent(type: "test.event", data: Array(#"{"id":"\#(id)","n":\#(n)}"#.utf8), atMs: atMs)
    }
}
