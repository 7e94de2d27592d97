import PesaCore
import PesaEngine

/// The instants the overview compares: today and this month (Kenya time) so far, against yesterday up to the
/// same time of day and last month up to the same day and time (the whole of last month when it is shorter).
struct OverviewPeriods: Sendable {
    let nowMs: Int64
    let dayStartMs: Int64
    let monthStartMs: Int64
    let lastMonthStartMs: Int64
    let lastMonthCutMs: Int64

    static let dayMs: Int64 = 86_400_000

    init(nowMs: Int64) {
        self.nowMs = nowMs
        dayStartMs = KenyaTime.startMs(ofDay: KenyaTime.dayIndex(ms: nowMs))
        monthStartMs = KenyaTime.month(KenyaTime.monthKey(ms: nowMs))?.startMs ?? dayStartMs
        lastMonthStartMs = KenyaTime.month(KenyaTime.monthKey(ms: monthStartMs - 1))?.startMs ?? monthStartMs
        lastMonthCutMs = min(lastMonthStartMs + (nowMs - monthStartMs), monthStartMs)
    }

    /// The four periods' figures, from the day aggregates and at most two partial days' rows.
    func figures(_ table: PaymentTable) -> (today: PaymentPeriod, yesterday: PaymentPeriod, month: PaymentPeriod,
        lastMonth: PaymentPeriod)
    {
        let endOfToday = dayStartMs + Self.dayMs
        return (
            table.period(fromMs: dayStartMs, toMs: endOfToday),
            table.period(fromMs: dayStartMs - Self.dayMs, toMs: nowMs - Self.dayMs),
            table.period(fromMs: monthStartMs, toMs: endOfToday),
            table.period(fromMs: lastMonthStartMs, toMs: lastMonthCutMs)
        )
    }

    /// One tile: the period's volume and count, each against the previous period's, and the success rate.
    static func tile(
        _ title: String, _ current: PaymentPeriod, against previous: PaymentPeriod, previousLabel: String
    ) -> [String: Any] {
        [
            "title": title, "volume": DashboardFormat.kes(current.volume), "count": String(current.count),
            "previous_label": previousLabel, "previous_volume": DashboardFormat.kes(previous.volume),
            "previous_count": String(previous.count),
            "volume_change": change(current.volume.minorUnits, previous.volume.minorUnits),
            "count_change": change(current.count, previous.count),
            "success_rate": rate(current.successRatePermille),
            "success_detail": "\(current.succeeded) succeeded of \(current.finished) finished",
        ]
    }

    /// `+12.5%`, `-3.0%`, `±0%`, or `new` when the previous period had none.
    static func change(_ current: Int64, _ previous: Int64) -> String {
        guard previous != 0 else { return current == 0 ? "±0%" : "new" }
        let tenths = (current - previous) * 1000 / previous
        guard tenths != 0 else { return "±0%" }
        return (tenths > 0 ? "+" : "-") + "\(tenths.magnitude / 10).\(tenths.magnitude % 10)%"
    }

    /// `97.5%`, or `n/a` when no payment finished.
    static func rate(_ permille: Int64?) -> String {
        guard let permille else { return "n/a" }
        return "\(permille / 10).\(permille % 10)%"
    }

    /// `1,234 of 10,000 (12%)` with the share rounded down; `included` 0 shows the count alone.
    static func usageRow(_ label: String, used: Int64, included: Int64) -> [String: Any] {
        let percent = included > 0 ? used * 100 / included : nil
        return [
            "label": label, "used": String(used), "included": included > 0 ? String(included) : "none",
            "percent": percent.map { "\($0)%" } ?? "", "over": used > included,
        ]
    }
}

/// What the "Needs attention" panel reads from the state, under the tenant's lock for a moment: no walk of the
/// payments (pending rows only, and at most `callbackRowsMax` of the newest).
struct OverviewAttention: Sendable {
    var pendingLate = 0
    var pendingOldestMs: Int64?
    var callbacks = CallbackWatch()
    var failedShortCodes: [ShortCodeRecord] = []
    var failingEndpoints: [WebhookEndpointRecord] = []
    var subscription: SubscriptionStatus?
    /// Callbacks from M-Pesa that settled nothing (orphan or malformed) in the last 7 days, when the latest is
    /// among them.
    var unmatchedCallbacks: (count: Int64, latestAtMs: Int64, complete: Bool)?

    /// How far back the callback check looks, and at most how many rows it reads.
    static let callbackWindowMs: Int64 = 86_400_000
    static let callbackRowsMax = 2_000

    init() {}

    init(_ state: TenantState, nowMs: Int64, reconcileAfterMs: Int64) {
        (pendingLate, pendingOldestMs) = state.payments.pending(createdBeforeMs: nowMs - reconcileAfterMs)
        callbacks = state.payments.callbackWatch(
            fromMs: nowMs - Self.callbackWindowMs, toMs: nowMs - reconcileAfterMs, rowsMax: Self.callbackRowsMax)
        failedShortCodes = state.activeShortCodes.filter { $0.lastVerification?.ok == false }
        failingEndpoints = state.webhookEndpoints.values.filter { !$0.enabled || $0.failingSinceMs != nil }
            .sorted { ($0.createdAtMs, $0.id.rawValue) < ($1.createdAtMs, $1.id.rawValue) }
        subscription = state.subscription?.status
        unmatchedCallbacks = state.unmatchedCallbacks.recent(nowMs: nowMs)
    }

    /// The panel's items, each with the page where to act (`link` adds `?org=` for a super admin); only those
    /// `shows` lets the reader see.
    func items(
        reconcileAfterMs: Int64, shows: (Action) -> Bool, link: (String) -> String
    ) -> [[String: Any]] {
        var found: [(text: String, path: String, action: String)] = []
        let item = { (text: String, path: String, action: String) in found.append((text, path, action)) }
        let minutes = max(1, reconcileAfterMs / 60_000)
        if shows(.readReportSummary), pendingLate > 0, let oldest = pendingOldestMs {
            item(
                "\(pendingLate) payment\(pendingLate == 1 ? "" : "s") pending for more than \(minutes) min (the "
                    + "reconciliation delay), the oldest since \(DashboardFormat.kenyaTime(ms: oldest)) EAT.",
                "/ui/payments?status=pending", "See pending payments")
        }
        if shows(.readReportSummary), callbacks.expected > 0, callbacks.received == 0,
            let first = callbacks.firstCreatedAtMs, let last = callbacks.lastCreatedAtMs
        {
            item(
                "No callback from M-Pesa for the \(callbacks.expected) payment\(callbacks.expected == 1 ? "" : "s") "
                    + "it accepted from \(DashboardFormat.kenyaTime(ms: first)) to "
                    + "\(DashboardFormat.kenyaTime(ms: last)) EAT: check the callback URLs given to Safaricom.",
                "/ui/settings", "Check the callback URLs")
        }
        if shows(.listUnmatchedCallbacks), let unmatched = unmatchedCallbacks {
            let count = unmatched.count
            let latest = DashboardFormat.kenyaTime(ms: unmatched.latestAtMs)
            item(
                "\(unmatched.complete ? "" : "At least ")\(count) callback\(count == 1 ? "" : "s") from M-Pesa "
                    + "in the last \(UnmatchedCallbacks.days) days matched no payment of this organization or could "
                    + "not be read, the latest on \(latest) EAT: the money they describe needs a look.",
                "/ui/payments/unmatched", "See the unmatched callbacks")
        }
        if shows(.listShortCodes) {
            for record in failedShortCodes {
                let checked = record.lastVerification.map { DashboardFormat.kenyaTime(ms: $0.checkedAtMs) } ?? ""
                let error = record.lastVerification?.error.map { ": \($0)" } ?? ""
                item(
                    "Short code \(record.shortCode) (\(record.label)) failed its check with Daraja on \(checked) "
                        + "EAT\(error).", "/ui/settings/credentials/\(record.id.rawValue)", "Fix the short code")
            }
        }
        if shows(.listWebhookEndpoints) {
            for endpoint in failingEndpoints {
                let state =
                    endpoint.enabled
                    ? "failing since \(DashboardFormat.kenyaTime(ms: endpoint.failingSinceMs ?? 0)) EAT"
                    : "disabled" + (endpoint.disabledReason.map { " (\($0))" } ?? "")
                item(
                    "Webhook endpoint \(endpoint.url) is \(state).",
                    "/ui/settings/webhooks/\(endpoint.id.rawValue)", "See its deliveries")
            }
        }
        if shows(.readSubscription), let subscription, subscription == .pastDue || subscription == .suspended {
            item(
                subscription == .pastDue
                    ? "The subscription is past due: pay the open invoice before the service is suspended."
                    : "The subscription is suspended: payments cannot be made until the open invoice is paid.",
                "/ui/billing", "Go to billing")
        }
        return found.map { ["text": $0.text, "href": link($0.path), "action": $0.action] }
    }
}
