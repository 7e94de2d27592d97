import Foundation

/// The gateway's own journal fdatasyncs during a phase, from the `pesa_journal_fsync_duration_seconds`
/// histogram of `GET /metrics` read before and after it: how many, and how many the disk held past 25, 100
/// and 250 ms. A push waits for its intent's fdatasync, so one stall of the disk delays every push that
/// arrives during it; this column tells such a phase from one where the gateway itself was slow.
struct JournalSyncs {
    static let metric = "pesa_journal_fsync_duration_seconds"
    /// The bounds (ms) the summary counts slower syncs over; swift-prometheus's default duration buckets have
    /// them.
    static let stallBoundsMs = [25, 100, 250]
    /// "over 25 / 100 / 250 ms", for the summary and the column's heading.
    static var stallBoundsLabel: String { "over " + stallBoundsMs.map(String.init).joined(separator: " / ") + " ms" }

    var count = 0
    var sumSeconds = 0.0
    /// Cumulative bucket counts by their `le` label, as exposed.
    var atOrBelow: [String: Int] = [:]

    /// Reads the histogram from a Prometheus text exposition; nil when it is not there.
    init?(exposition: String) {
        var found = false
        for line in exposition.split(separator: "\n") where line.hasPrefix(Self.metric) {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Double(parts[1]) else { continue }
            let name = parts[0].dropFirst(Self.metric.count)
            if name == "_count" {
                count = Int(value)
                found = true
            } else if name == "_sum" {
                sumSeconds = value
            } else if name.hasPrefix("_bucket{le=\""), name.hasSuffix("\"}") {
                atOrBelow[String(name.dropFirst("_bucket{le=\"".count).dropLast(2))] = Int(value)
            }
        }
        guard found else { return nil }
    }

    init() {}

    /// What happened between `earlier` and this reading.
    func since(_ earlier: JournalSyncs) -> JournalSyncs {
        var delta = JournalSyncs()
        delta.count = count - earlier.count
        delta.sumSeconds = sumSeconds - earlier.sumSeconds
        for (bound, value) in atOrBelow { delta.atOrBelow[bound] = value - (earlier.atOrBelow[bound] ?? 0) }
        return delta
    }

    /// Syncs that took longer than `ms`; nil when the histogram has no bucket bound there (its `le` label is
    /// the bound in seconds as Swift prints a Double: "0.025", "0.1").
    func over(ms: Int) -> Int? { atOrBelow["\(Double(ms) / 1000)"].map { count - $0 } }

    /// "812, mean 0.4 ms; over 25 / 100 / 250 ms: 3 / 1 / 0".
    var summary: String {
        let mean = count > 0 ? sumSeconds * 1000 / Double(count) : 0
        let stalls = Self.stallBoundsMs.map { over(ms: $0).map(String.init) ?? "?" }.joined(separator: " / ")
        return "\(count), mean " + String(format: "%.1f", mean) + " ms; \(Self.stallBoundsLabel): " + stalls
    }
}
