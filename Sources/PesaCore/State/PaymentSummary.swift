/// GET /v1/reports/summary: counts and volumes by type, status, day and short code of the payments a filter
/// selects, from the table's columns (no texts are read).
public struct PaymentSummary: Sendable, Equatable {
    public struct Tally: Sendable, Equatable {
        public internal(set) var count: Int64 = 0
        public internal(set) var volume: Amount = .zero

        mutating func add(_ minorUnits: Int64) {
            count += 1
            volume = Amount(minorUnits: volume.minorUnits &+ minorUnits)
        }

        mutating func remove(_ minorUnits: Int64) {
            count -= 1
            volume = Amount(minorUnits: volume.minorUnits &- minorUnits)
        }

        mutating func add(_ other: Tally) {
            count += other.count
            volume = Amount(minorUnits: volume.minorUnits &+ other.volume.minorUnits)
        }
    }

    public internal(set) var total = Tally()
    public internal(set) var byType: [PaymentType: Tally] = [:]
    public internal(set) var byStatus: [PaymentStatus: Tally] = [:]
    /// Days in ascending order, as day numbers (days since 1970-01-01) in the offset's local time; DarajaWire's
    /// `CivilDate`, the package's one calendar arithmetic, gives their dates. Only days with payments.
    public internal(set) var byDay: [(day: Int64, tally: Tally)] = []
    /// By the number of the short code the payments went through (two profiles of one number add up); payments
    /// that went through none (made before the organization had a profile) are in no entry.
    public internal(set) var byShortCode: [String: Tally] = [:]

    /// (succeeded + reversed) / every final payment, in thousandths (a reversed payment had succeeded);
    /// nil when none is final. Pending and unknown payments are not final, so they count on neither side.
    public var successRatePermille: Int64? {
        successRate.map { $0.succeeded * 1000 / $0.final }
    }

    /// The two sides of the success rate: succeeded + reversed, and every final payment; nil when none is final.
    public var successRate: (succeeded: Int64, final: Int64)? {
        let final = PaymentStatus.allCases.filter(\.isFinal).reduce(Int64(0)) { $0 + (byStatus[$1]?.count ?? 0) }
        let succeeded = (byStatus[.succeeded]?.count ?? 0) + (byStatus[.reversed]?.count ?? 0)
        return final == 0 ? nil : (succeeded, final)
    }

    public static func == (lhs: PaymentSummary, rhs: PaymentSummary) -> Bool {
        lhs.total == rhs.total && lhs.byType == rhs.byType && lhs.byStatus == rhs.byStatus
            && lhs.byDay.map(\.day) == rhs.byDay.map(\.day) && lhs.byDay.map(\.tally) == rhs.byDay.map(\.tally)
            && lhs.byShortCode == rhs.byShortCode
    }

    /// Sums tallies by day as they come, then sorts the days once.
    struct Builder {
        var summary = PaymentSummary()
        var days: [Int64: Tally] = [:]

        mutating func add(_ tally: Tally, type: PaymentType, status: PaymentStatus, shortCode: String?, day: Int64) {
            guard tally.count != 0 else { return }
            summary.total.add(tally)
            summary.byType[type, default: .init()].add(tally)
            summary.byStatus[status, default: .init()].add(tally)
            if let shortCode { summary.byShortCode[shortCode, default: .init()].add(tally) }
            days[day, default: .init()].add(tally)
        }

        mutating func finish() -> PaymentSummary {
            summary.byDay = days.keys.sorted().map { ($0, days[$0] ?? .init()) }
            return summary
        }
    }
}

extension PaymentTable {
    /// Counts and volumes of the payments `filter` selects, days cut at `utcOffsetMs` (Kenya by default).
    /// In Kenya time the whole days of the range come from `days` (O(days)), and only the rows of a day the range
    /// starts or ends inside are walked; another offset walks the rows of the Kenya days the range touches, a
    /// phone filter those of them whose phone key matches; a receipt filter walks the rows holding the receipt.
    /// Exact either way.
    public func summary(_ filter: PaymentFilter, utcOffsetMs: Int64 = Limits.kenyaUTCOffsetMs) -> PaymentSummary {
        var builder = PaymentSummary.Builder()
        let filterRef = filter.shortCodeID.map { shortCodeRefsByID[$0] ?? UInt16.max }
        let span = days.indexes(
            from: filter.fromMs.map(PaymentDays.day(ms:)),
            to: filter.toMs.map { PaymentDays.day(ms: $0 - 1) + 1 })
        if let receipt = filter.receipt {
            walk(rows(forReceiptIgnoringCase: receipt), filter, utcOffsetMs: utcOffsetMs, into: &builder) { _ in true }
            return builder.finish()
        }
        guard utcOffsetMs == Limits.kenyaUTCOffsetMs, !filter.selectsByText else {
            let rows = span.isEmpty ? 0..<0 : rowSpan(of: span)
            if filter.phone != nil {
                let candidates = IteratorSequence(phoneCandidates(RowMatcher(filter), in: rows))
                walk(candidates, filter, utcOffsetMs: utcOffsetMs, into: &builder) { _ in true }
            } else {
                walk(rows, filter, utcOffsetMs: utcOffsetMs, into: &builder) { _ in true }
            }
            return builder.finish()
        }
        for day in span.map({ days.days[$0] }) {
            let startMs = PaymentDays.startMs(day: day.number)
            let endMs = startMs + PaymentDays.dayMs
            guard startMs >= (filter.fromMs ?? .min), endMs <= (filter.toMs ?? .max) else {
                // The range starts or ends inside this day: its rows that the range and the day both hold.
                walk(day.firstRow..<(day.lastRow + 1), filter, utcOffsetMs: utcOffsetMs, into: &builder) {
                    $0 >= startMs && $0 < endMs
                }
                continue
            }
            for (cell, tally) in zip(day.cells, day.tallies) {
                let type = cell.type
                let status = PaymentTable.status(cell.statusCode)
                if let wanted = filter.status, wanted != status { continue }
                if let wanted = filter.type, wanted != type { continue }
                if let filterRef, filterRef != cell.shortCodeRef { continue }
                builder.add(tally, type: type, status: status, shortCode: shortCodeNumber(ref: cell.shortCodeRef),
                    day: day.number)
            }
        }
        return builder.finish()
    }

    /// The same figures from a walk of every row: what `summary` must always equal (its tests, and the
    /// benchmark's baseline).
    public func walkSummary(_ filter: PaymentFilter, utcOffsetMs: Int64 = Limits.kenyaUTCOffsetMs) -> PaymentSummary {
        var builder = PaymentSummary.Builder()
        walk(0..<count, filter, utcOffsetMs: utcOffsetMs, into: &builder) { _ in true }
        return builder.finish()
    }

    /// The rows from the first of the days at `indexes` to the last.
    private func rowSpan(of indexes: Range<Int>) -> Range<Int> {
        var lower = Int.max
        var upper = 0
        for index in indexes {
            lower = min(lower, days.days[index].firstRow)
            upper = max(upper, days.days[index].lastRow + 1)
        }
        return lower..<upper
    }

    private func walk(
        _ rows: some Sequence<Int>, _ filter: PaymentFilter, utcOffsetMs: Int64,
        into builder: inout PaymentSummary.Builder, where createdAt: (Int64) -> Bool
    ) {
        let matcher = RowMatcher(filter)
        for row in rows where createdAt(createdAtMs[row]) && matches(matcher, row: row) {
            var tally = PaymentSummary.Tally()
            tally.add(amounts[row])
            let local = createdAtMs[row] + utcOffsetMs
            let day = local >= 0 ? local / PaymentDays.dayMs : (local - PaymentDays.dayMs + 1) / PaymentDays.dayMs
            builder.add(
                tally, type: PaymentTable.type(kinds[row]), status: PaymentTable.status(statuses[row]),
                shortCode: shortCodeNumber(ref: shortCodeRefs[row]), day: day)
        }
    }

    private func shortCodeNumber(ref: UInt16) -> String? {
        ref == 0 || Int(ref) > shortCodes.count ? nil : shortCodes[Int(ref) - 1].number
    }
}
