/// Count, volume and success of the payments created in a time range: the dashboard overview's figures.
public struct PaymentPeriod: Sendable, Equatable {
    public internal(set) var count: Int64 = 0
    public internal(set) var volume: Amount = .zero
    /// Succeeded or reversed (a reversed payment had succeeded).
    public internal(set) var succeeded: Int64 = 0
    /// In a final status (pending and unknown payments are not).
    public internal(set) var finished: Int64 = 0

    public init() {}

    /// `succeeded / finished` in thousandths, as `PaymentSummary.successRatePermille`; nil when none finished.
    public var successRatePermille: Int64? { finished == 0 ? nil : succeeded * 1000 / finished }

    mutating func add(statusCode: UInt8, count: Int64, minorUnits: Int64) {
        self.count += count
        volume = Amount(minorUnits: volume.minorUnits &+ minorUnits)
        if Self.succeededCodes[Int(statusCode)] { succeeded += count }
        if Self.finalCodes[Int(statusCode)] { finished += count }
    }

    private static let finalCodes = PaymentStatus.allCases.map(\.isFinal)
    private static let succeededCodes = PaymentStatus.allCases.map { $0 == .succeeded || $0 == .reversed }
}

/// How the payments that wait for a Daraja callback fared among the newest of a time window.
public struct CallbackWatch: Sendable, Equatable {
    /// STK pushes, payouts and reversals Daraja accepted (they hold its request id), created in the window.
    public internal(set) var expected = 0
    /// Those that received at least one callback.
    public internal(set) var received = 0
    /// When the oldest and the newest of the expected ones were created.
    public internal(set) var firstCreatedAtMs: Int64?
    public internal(set) var lastCreatedAtMs: Int64?

    public init() {}
}

extension PaymentTable {
    /// The payments created in `fromMs..<toMs`. Whole Kenya days come from the day aggregates (a few cells
    /// each); a day the range starts or ends inside is a tight walk of that day's rows over two columns (creation
    /// time and status), never of the other days'.
    public func period(fromMs: Int64, toMs: Int64) -> PaymentPeriod {
        var period = PaymentPeriod()
        guard fromMs < toMs else { return period }
        let span = days.indexes(from: PaymentDays.day(ms: fromMs), to: PaymentDays.day(ms: toMs - 1) + 1)
        for index in span {
            let day = days.days[index]
            let startMs = PaymentDays.startMs(day: day.number)
            let endMs = startMs + PaymentDays.dayMs
            if startMs >= fromMs, endMs <= toMs {
                for (cell, tally) in zip(day.cells, day.tallies) {
                    period.add(statusCode: cell.statusCode, count: tally.count, minorUnits: tally.volume.minorUnits)
                }
                continue
            }
            let lower = max(fromMs, startMs)
            let upper = min(toMs, endMs)
            for row in day.firstRow...day.lastRow {
                let createdAt = createdAtMs[row]
                if createdAt >= lower, createdAt < upper {
                    period.add(statusCode: statuses[row], count: 1, minorUnits: amounts[row])
                }
            }
        }
        return period
    }

    /// Pending payments created before `cutoffMs`, and the oldest one's creation time (a walk of the pending
    /// rows only).
    public func pending(createdBeforeMs cutoffMs: Int64) -> (count: Int, oldestMs: Int64?) {
        var count = 0
        var oldest: Int64?
        for row in pendingRows.lazy.map({ Int($0) }) where createdAtMs[row] < cutoffMs {
            count += 1
            oldest = min(oldest ?? .max, createdAtMs[row])
        }
        return (count, oldest)
    }

    /// Among the newest `rowsMax` rows at most, those created in `fromMs..<toMs` that wait for a callback, and how
    /// many got one: a walk from the newest row back to the first one (other than a C2B payment, dated by
    /// Daraja's transaction time) created before `fromMs`.
    public func callbackWatch(fromMs: Int64, toMs: Int64, rowsMax: Int) -> CallbackWatch {
        var watch = CallbackWatch()
        var row = count - 1
        let last = max(0, count - rowsMax)
        while row >= last {
            defer { row -= 1 }
            let createdAt = createdAtMs[row]
            let kind = self.type(at: row)
            if createdAt < fromMs, kind != .c2b { break }
            guard createdAt >= fromMs, createdAt < toMs, kind != .c2b else { continue }
            let requestID = text(at: row, kind == .stkPush ? .checkoutRequestID : .conversationID)
            guard !requestID.isEmpty else { continue }
            watch.expected += 1
            if callbackCounts[row] > 0 { watch.received += 1 }
            watch.firstCreatedAtMs = min(watch.firstCreatedAtMs ?? .max, createdAt)
            watch.lastCreatedAtMs = max(watch.lastCreatedAtMs ?? .min, createdAt)
        }
        return watch
    }
}
