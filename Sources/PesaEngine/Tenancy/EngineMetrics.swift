import Metrics

/// What a tenant engine reports to `GET /metrics`: the durable commit latency (write + fdatasync, group
/// commit included) and per-tenant event and failure counters.
struct EngineMetrics: Sendable {
    let commitDuration: Timer
    let events: Counter
    let commitFailures: Counter

    init(tenant: String) {
        let dimensions = [("tenant", tenant)]
        commitDuration = Timer(
            label: "pesa_journal_commit_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
        events = Counter(label: "pesa_tenant_events_total", dimensions: dimensions)
        commitFailures = Counter(label: "pesa_journal_commit_failures_total", dimensions: dimensions)
    }

    func recordCommit(elapsed: Duration, events count: Int) {
        let (seconds, attoseconds) = elapsed.components
        commitDuration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        events.increment(by: count)
    }

    func recordFailure() { commitFailures.increment() }
}
