public import PesaCore

/// A state that accepts every event and remembers only how many it saw: for checking a journal's bytes
/// and chain when no reducer for its events is at hand (e.g. the instance's `system/` journal before the
/// server defines its state).
public struct ChainOnlyState: EventSourcedState, Equatable {
    public static let snapshotFormatVersion = 1
    public private(set) var events: UInt64 = 0

    public init() {}

    public mutating func apply(eventType: String, data: ArraySlice<UInt8>, seq: UInt64, atMs: Int64)
        throws(EventDecodingError)
    {
        events += 1
    }

    public func snapshotPayload() -> [UInt8] {
        withUnsafeBytes(of: events.littleEndian, Array.init)
    }

    public init(snapshotPayload: [UInt8], formatVersion: Int) throws(EventDecodingError) {
        guard formatVersion <= Self.snapshotFormatVersion, snapshotPayload.count == 8 else {
            throw EventDecodingError(eventType: "snapshot", message: "not a chain-only snapshot")
        }
        events = snapshotPayload.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}
