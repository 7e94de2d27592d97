/// A state that is a pure projection of a tenant's journal: the store replays events into it and
/// persists it as snapshots. Implementations are deterministic: the same events give the same state,
/// and `snapshotPayload()` gives the same bytes for equal states (so `pesa verify` can compare a
/// snapshot with a replay byte for byte).
public protocol EventSourcedState: Sendable {
    /// The state of a tenant with no events.
    init()

    /// Applies one journaled event. `data` is the event's canonical JSON object as written in the journal.
    /// Throws when the event cannot be understood (unknown type, bad data): the store then fences the tenant.
    mutating func apply(eventType: String, data: ArraySlice<UInt8>, seq: UInt64, atMs: Int64) throws(EventDecodingError)

    /// Version of the snapshot payload format written by `snapshotPayload()`.
    static var snapshotFormatVersion: Int { get }

    /// The state in the snapshot payload format (uncompressed; the store compresses and checksums it).
    func snapshotPayload() -> [UInt8]

    /// The same bytes as `snapshotPayload()`, calling `pause` now and then while encoding a large state, so that
    /// a background caller can keep to its share of the CPU (the store's pacing).
    func snapshotPayload(pausing pause: () -> Void) -> [UInt8]

    /// Rebuilds a state from a payload written by `snapshotPayload()` with the given format version.
    /// Older versions are read or migrated; newer ones are refused.
    init(snapshotPayload: [UInt8], formatVersion: Int) throws(EventDecodingError)
}

/// An event or snapshot that the current code cannot read.
public struct EventDecodingError: Error, Sendable, CustomStringConvertible {
    public let eventType: String
    public let message: String

    public init(eventType: String, message: String) {
        self.eventType = eventType
        self.message = message
    }

    public var description: String { "cannot read \(eventType): \(message)" }
}

extension EventSourcedState {
    /// States small enough to encode at once need no pauses.
    public func snapshotPayload(pausing pause: () -> Void) -> [UInt8] { snapshotPayload() }
}
