/// Results that arrived before Daraja's answer to their request was journaled, by the Daraja id that answer
/// will carry (CheckoutRequestID, ConversationID). Bounded: past `countMax` the oldest is forgotten first.
///
/// Results that never find their request (Daraja's answer was lost, or the id is not ours) stay until they
/// are the oldest; a result forgotten that way is still journaled as an orphan, and its payment is settled
/// by reconciliation instead. (Emptying the whole table when it was full, as before, also dropped results
/// whose answers were due within milliseconds.)
struct EarlyResults<Value> {
    private var values: [String: (arrival: Int, value: Value)] = [:]
    /// Ids in arrival order, each with its arrival number; an entry whose id was taken since, or remembered
    /// again later, no longer matches `values` and is skipped.
    private var order: [(id: String, arrival: Int)] = []
    private var head = 0
    private var arrivals = 0
    let countMax: Int

    init(countMax: Int) {
        self.countMax = max(countMax, 1)
    }

    var count: Int { values.count }

    /// Keeps the first result for an id: a duplicate that comes before the answer changes nothing, as a
    /// duplicate after it would not; unless `replaces` says the new one outranks it (a real query result after
    /// a queue timeout, a success with a receipt after a failure), as it would after the answer.
    mutating func remember(_ value: Value, for id: String, replaces: (Value) -> Bool = { _ in false }) {
        if let existing = values[id] {
            if replaces(existing.value) { values[id] = (existing.arrival, value) }
            return
        }
        arrivals += 1
        values[id] = (arrivals, value)
        order.append((id, arrivals))
        while values.count > countMax, head < order.count {
            let oldest = order[head]
            if values[oldest.id]?.arrival == oldest.arrival { values.removeValue(forKey: oldest.id) }
            head += 1
        }
        // Drop the entries that match nothing any more once they are most of the list (amortized O(1)).
        if order.count - head > 2 * countMax || head > countMax {
            order = order[head...].filter { values[$0.id]?.arrival == $0.arrival }
            head = 0
        }
    }

    mutating func take(_ id: String) -> Value? {
        values.removeValue(forKey: id)?.value
    }
}
