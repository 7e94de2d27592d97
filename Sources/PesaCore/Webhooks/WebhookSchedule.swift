/// The pending webhook deliveries that have a next attempt, in the order they fall due: the dispatcher takes the
/// first few due ones many times a second, which must not cost a walk over every pending delivery (under a
/// backlog of thousands, such walks would take the CPU the deliveries need).
///
/// Entries live in one array sorted by (due time, id). A delivery rescheduled or done leaves its old entry in
/// place, stale (its time no longer matches `atByID`): stale entries at the front are stepped over at once, the
/// others are skipped by readers and swept out once they outnumber the live ones. New deliveries fall due in
/// the order they are made, so scheduling one is almost always an append.
public struct WebhookSchedule: Sendable, Equatable {
    struct Entry: Sendable {
        let atMs: Int64
        let id: WebhookDeliveryID

        static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.atMs, lhs.id) < (rhs.atMs, rhs.id) }
    }

    private var atByID: [WebhookDeliveryID: Int64] = [:]
    private(set) var order: [Entry] = []
    /// Entries before `head` are all stale.
    private(set) var head = 0

    public init() {}

    /// Deliveries scheduled.
    public var count: Int { atByID.count }

    /// When `id`'s next attempt is due, if it is scheduled.
    public func dueAtMs(_ id: WebhookDeliveryID) -> Int64? { atByID[id] }

    /// Up to `max` deliveries due at `nowMs`, oldest due first, not in `excluding`; and when the first one left
    /// out is due (`nowMs` when more are due than taken), nil when none is left.
    public func due(nowMs: Int64, max: Int, excluding: Set<WebhookDeliveryID>) -> (
        ids: [WebhookDeliveryID], nextAtMs: Int64?
    ) {
        var ids: [WebhookDeliveryID] = []
        var taken: Set<WebhookDeliveryID> = []
        for entry in order[head...] where isLive(entry) && !excluding.contains(entry.id) {
            guard entry.atMs <= nowMs else { return (ids, entry.atMs) }
            guard ids.count < max else { return (ids, nowMs) }
            // A delivery moved away and back to the same time has two live entries: it is taken once.
            if taken.insert(entry.id).inserted { ids.append(entry.id) }
        }
        return (ids, nil)
    }

    /// Schedules `id` at `atMs`, or unschedules it (nil).
    mutating func schedule(_ id: WebhookDeliveryID, atMs: Int64?) {
        let previous = atByID[id]
        guard previous != atMs else { return }
        atByID[id] = atMs
        if let atMs {
            let entry = Entry(atMs: atMs, id: id)
            if let last = order.last, entry < last {
                order.insert(entry, at: insertionIndex(of: entry))
            } else {
                order.append(entry)
            }
        }
        if previous != nil { sweep() }
    }

    private func isLive(_ entry: Entry) -> Bool { atByID[entry.id] == entry.atMs }

    /// Where `entry` goes in `order[head...]`: after every entry before it.
    private func insertionIndex(of entry: Entry) -> Int {
        var low = head
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            if order[middle] < entry { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Steps `head` over the stale front; drops the stale entries once they are as many as the live ones.
    private mutating func sweep() {
        while head < order.count, !isLive(order[head]) { head += 1 }
        if order.count - atByID.count > atByID.count + 1_024 {
            var seen: Set<WebhookDeliveryID> = []
            order = order[head...].filter { isLive($0) && seen.insert($0.id).inserted }
            head = 0
        } else if head > 1_024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    /// Equal when the same deliveries are due at the same times, however the entries lie.
    public static func == (lhs: WebhookSchedule, rhs: WebhookSchedule) -> Bool { lhs.atByID == rhs.atByID }
}

extension WebhookSchedule {
    /// The schedule of every pending delivery with a next attempt.
    init(_ deliveries: some Sequence<WebhookDeliveryRecord>) {
        for delivery in deliveries where delivery.status == .pending {
            guard let atMs = delivery.nextAttemptAtMs else { continue }
            atByID[delivery.id] = atMs
            order.append(Entry(atMs: atMs, id: delivery.id))
        }
        order.sort(by: <)
    }
}
