/// Callbacks from M-Pesa that matched no payment (`callback.received` with disposition `orphan` or `malformed`),
/// counted per Kenya day for "the last 7 days": today and the 6 days before it.
///
/// Only the latest one's day and the 6 days before it are kept. Any later reader's 7 days start no earlier than
/// the first day kept, so the count stays exact, and the days kept move only with these events, never with a
/// clock: a replay of the journal and a snapshot give the same value. A single latest time would not tell how
/// many; every time in the window would grow with a flood of stray callbacks.
public struct UnmatchedCallbacks: Sendable, Equatable {
    /// The days a reader looks back over, today included.
    public static let days: Int64 = 7

    /// `at_ms` of the latest one; nil when none arrived since `countedFromMs`.
    public internal(set) var latestAtMs: Int64?
    /// Kenya day (`KenyaTime.dayIndex`) -> how many arrived that day, for the latest's day and the 6 before it.
    public internal(set) var byDay: [Int64: Int64] = [:]
    /// The time from which they are counted: 0 when the state was built from the journal's first line. A
    /// snapshot of format 10 or earlier did not keep them: read from one, they are unknown until its
    /// `last_at_ms` (nothing is flagged until the next one, and a count reaching back before it is a minimum).
    public internal(set) var countedFromMs: Int64 = 0

    init() {}

    /// What a snapshot that did not keep them leaves: none known before `lastAtMs`.
    static func unknown(before lastAtMs: Int64) -> UnmatchedCallbacks {
        var unknown = UnmatchedCallbacks()
        unknown.countedFromMs = lastAtMs
        return unknown
    }

    mutating func record(atMs: Int64) {
        let latest = max(latestAtMs ?? atMs, atMs)
        latestAtMs = latest
        byDay[KenyaTime.dayIndex(ms: atMs), default: 0] += 1
        let firstKept = KenyaTime.dayIndex(ms: latest) - (Self.days - 1)
        byDay = byDay.filter { $0.key >= firstKept }
    }

    /// Those of the 7 Kenya days ending on `nowMs`'s day, or nil when the latest is older. `complete` is false
    /// when the days reach back before `countedFromMs`: `count` is then a minimum.
    public func recent(nowMs: Int64) -> (count: Int64, latestAtMs: Int64, complete: Bool)? {
        let firstDay = KenyaTime.dayIndex(ms: nowMs) - (Self.days - 1)
        guard let latestAtMs, KenyaTime.dayIndex(ms: latestAtMs) >= firstDay else { return nil }
        let count = byDay.reduce(0) { $0 + ($1.key >= firstDay ? $1.value : 0) }
        return (count, latestAtMs, countedFromMs <= KenyaTime.startMs(ofDay: firstDay))
    }
}
