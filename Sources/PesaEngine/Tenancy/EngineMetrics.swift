import PesaCore
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

/// Payments turned `unknown` for a person, by reason (`pesa_payments_flagged_total{reason}`), beside the audit
/// entry each one gets: what an operator alerts on.
enum FlaggedPayments {
    static func count(_ reason: AttentionReason) {
        Counter(label: "pesa_payments_flagged_total", dimensions: [("reason", reason.rawValue)]).increment()
    }
}

/// Callbacks that settled nothing, by disposition (`orphan`, `malformed`) and kind
/// (`pesa_callbacks_unmatched_total`): listed by `GET /v1/callbacks/unmatched`.
enum UnmatchedCallbacks {
    static func count(_ disposition: TenantEvent.CallbackDisposition, kind: CallbackKind) {
        guard disposition == .orphan || disposition == .malformed else { return }
        Counter(
            label: "pesa_callbacks_unmatched_total",
            dimensions: [("disposition", disposition.rawValue), ("kind", kind.rawValue)]
        ).increment()
    }
}

/// Webhook attempts by outcome (`pesa_webhook_attempts_total{outcome}`: `succeeded`, `retrying`, `failed`) and
/// endpoints the gateway disabled (`pesa_webhook_endpoints_disabled_total`): what an operator alerts on.
enum WebhookMetrics {
    static func count(_ status: WebhookDeliveryStatus) {
        let outcome = status == .pending ? "retrying" : status.rawValue
        Counter(label: "pesa_webhook_attempts_total", dimensions: [("outcome", outcome)]).increment()
    }

    static func countDisabled() { Counter(label: "pesa_webhook_endpoints_disabled_total").increment() }
}
