import Foundation

/// What the fast receiver got, against what the gateway recorded: deliveries per second while payments
/// settled, how long after its event each delivery arrived, and whether every succeeded payment's
/// `payment.succeeded` came exactly once (one distinct `webhook-id` per payment; the same `webhook-id` posted
/// again is a redelivery, counted apart).
struct WebhookTally {
    /// Succeeded payments, as the gateway reads them back.
    var succeeded = 0
    /// Succeeded payments whose `payment.succeeded` came under exactly one `webhook-id`.
    var deliveredOnce = 0
    /// Succeeded payments with no `payment.succeeded` at the receiver.
    var missing = 0
    /// Succeeded payments with more than one distinct `webhook-id` for `payment.succeeded`.
    var duplicated = 0
    /// `payment.succeeded` for a payment the gateway does not read back as succeeded.
    var stray = 0
    /// POSTs of a `webhook-id` that had already come (a retry of an answered delivery).
    var redelivered = 0
    /// Every POST, and by event type.
    var deliveries = 0
    var byType: [String: Int] = [:]
    /// POSTs whose body was not an event (no type).
    var unreadable = 0
    /// The window the payments settled in (first to last succeeded payment's `updated_at`), and the POSTs in it.
    var settleWindowSeconds = 0.0
    var settledPerSecond = 0.0
    var deliveredInWindow = 0
    /// From the first POST to the last.
    var allSeconds = 0.0
    /// Milliseconds from each event's `created_at` to its arrival: p50, p99, max.
    var lagMs: (p50: Double, p99: Double, max: Double) = (0, 0, 0)

    var deliveriesPerSecond: Double { settleWindowSeconds > 0 ? Double(deliveredInWindow) / settleWindowSeconds : 0 }
    var allPerSecond: Double { allSeconds > 0 ? Double(deliveries) / allSeconds : 0 }
    /// Deliveries in the window over payments settled in it: 1 when delivery keeps up with the payments.
    var keptUp: Double { settledPerSecond > 0 ? deliveriesPerSecond / settledPerSecond : 0 }
    var everyOnce: Bool { missing == 0 && duplicated == 0 && stray == 0 && deliveredOnce == succeeded }
    static let goalPerSecond = 1_000.0
    var goalMet: Bool { everyOnce && deliveriesPerSecond >= Self.goalPerSecond }

    /// `succeededIDs`: every payment the gateway reads back as succeeded. `window`: the measured phase's
    /// payments, from the first one's settlement to the last one's (`updated_at`, ms), and how many settled.
    init(
        arrivals: [WebhookReceiver.Arrival], succeededIDs: Set<String>,
        window: (firstMs: Int64, lastMs: Int64, count: Int)
    ) {
        succeeded = succeededIDs.count
        deliveries = arrivals.count
        var seenIDs = Set<String>()
        var idsByPayment: [String: Set<String>] = [:]
        var lags: [Double] = []
        for arrival in arrivals {
            if !seenIDs.insert(arrival.webhookID).inserted { redelivered += 1 }
            guard let event = Self.event(arrival.body) else {
                unreadable += 1
                continue
            }
            byType[event.type, default: 0] += 1
            if let createdMs = event.createdAtMs { lags.append(Double(arrival.atMs - createdMs)) }
            if event.type == "payment.succeeded", let id = event.objectID {
                idsByPayment[id, default: []].insert(arrival.webhookID)
            }
        }
        for id in succeededIDs {
            switch idsByPayment[id]?.count ?? 0 {
            case 0: missing += 1
            case 1: deliveredOnce += 1
            default: duplicated += 1
            }
        }
        stray = idsByPayment.keys.filter { !succeededIDs.contains($0) }.count
        if window.lastMs > window.firstMs {
            settleWindowSeconds = Double(window.lastMs - window.firstMs) / 1000
            settledPerSecond = Double(window.count) / settleWindowSeconds
            deliveredInWindow = arrivals.filter { $0.atMs >= window.firstMs && $0.atMs <= window.lastMs }.count
        }
        if let first = arrivals.first?.atMs, let last = arrivals.last?.atMs, last > first {
            allSeconds = Double(last - first) / 1000
        }
        let sorted = lags.sorted()
        lagMs = (sorted.nearestRank(0.5), sorted.nearestRank(0.99), sorted.last ?? 0)
    }

    struct Event {
        let type: String
        let createdAtMs: Int64?
        let objectID: String?
    }

    /// `{"id", "type", "created_at", "data": {"id", …}}` as the gateway posts it.
    static func event(_ body: [UInt8]) -> Event? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
            let type = object["type"] as? String
        else { return nil }
        let created = (object["created_at"] as? String).flatMap { try? PaymentReadback.milliseconds($0) }
        let data = object["data"] as? [String: Any]
        return Event(type: type, createdAtMs: created, objectID: data?["id"] as? String)
    }

    static func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

    /// The machine-readable line.
    var resultLine: String {
        "WEBHOOKS deliveries=\(deliveries) in_window=\(deliveredInWindow)"
            + " window_s=\(Self.format(settleWindowSeconds, 3))"
            + " deliveries_per_s=\(Self.format(deliveriesPerSecond)) settled_per_s=\(Self.format(settledPerSecond))"
            + " all_per_s=\(Self.format(allPerSecond)) lag_p50_ms=\(Self.format(lagMs.p50))"
            + " lag_p99_ms=\(Self.format(lagMs.p99)) lag_max_ms=\(Self.format(lagMs.max))"
            + " succeeded=\(succeeded) delivered_once=\(deliveredOnce) missing=\(missing) duplicated=\(duplicated)"
            + " stray=\(stray) redelivered=\(redelivered) unreadable=\(unreadable) goal_met=\(goalMet)"
    }
}
