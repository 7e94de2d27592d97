/// A stored first answer to a creating POST (payments keep theirs on the payment row).
public struct IdempotencyRecord: Sendable, Equatable {
    public internal(set) var key: String
    public internal(set) var requestHash: String
    public internal(set) var scope: String
    public internal(set) var resourceID: String?
    public internal(set) var statusCode: Int64
    public internal(set) var responseBody: String
    public internal(set) var atMs: Int64

    /// Still replayed at `nowMs` (within `Limits.idempotencyWindowMs` of the first answer).
    public func isLive(nowMs: Int64) -> Bool { nowMs - atMs < Limits.idempotencyWindowMs }
}
