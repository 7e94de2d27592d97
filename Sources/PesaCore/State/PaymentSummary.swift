/// GET /v1/reports/summary and the usage figures: counts and volumes by type, status and day, from a
/// scan of the payment table's columns (no texts are read).
public struct PaymentSummary: Sendable, Equatable {
    public struct Tally: Sendable, Equatable {
        public internal(set) var count: Int64 = 0
        public internal(set) var volume: Amount = .zero

        mutating func add(_ minorUnits: Int64) {
            count += 1
            volume = Amount(minorUnits: volume.minorUnits &+ minorUnits)
        }
    }

    public internal(set) var total = Tally()
    public internal(set) var byType: [PaymentType: Tally] = [:]
    public internal(set) var byStatus: [PaymentStatus: Tally] = [:]
    /// Days in ascending order, as `YYYY-MM-DD` in the offset's local time.
    public internal(set) var byDay: [(date: String, tally: Tally)] = []

    /// (succeeded + reversed) / every final payment, in thousandths (a reversed payment had succeeded);
    /// nil when none is final.
    public var successRatePermille: Int64? {
        let succeeded = byStatus[.succeeded]?.count ?? 0
        let final = [PaymentStatus.succeeded, .failed, .cancelled, .timeout, .reversed]
            .reduce(Int64(0)) { $0 + (byStatus[$1]?.count ?? 0) }
        let reversed = byStatus[.reversed]?.count ?? 0
        return final == 0 ? nil : (succeeded + reversed) * 1000 / final
    }

    public static func == (lhs: PaymentSummary, rhs: PaymentSummary) -> Bool {
        lhs.total == rhs.total && lhs.byType == rhs.byType && lhs.byStatus == rhs.byStatus
            && lhs.byDay.map(\.date) == rhs.byDay.map(\.date) && lhs.byDay.map(\.tally) == rhs.byDay.map(\.tally)
    }

    /// `YYYY-MM-DD` of a day number (days since 1970-01-01), proleptic Gregorian.
    static func civilDate(day: Int64) -> String {
        let (year, month, dayOfMonth) = CivilDate.civil(daysSinceEpoch: day)
        let pad = { (value: Int64, width: Int) -> String in
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))"
    }
}

extension PaymentTable {
    /// Counts and volumes of the payments `filter` selects, days cut at `utcOffsetMs` (Kenya by default).
    public func summary(_ filter: PaymentFilter, utcOffsetMs: Int64 = Limits.kenyaUTCOffsetMs) -> PaymentSummary {
        var summary = PaymentSummary()
        var days: [Int64: PaymentSummary.Tally] = [:]
        for row in 0..<count where matches(filter, row: row) {
            let amount = amounts[row]
            summary.total.add(amount)
            summary.byType[PaymentTable.type(kinds[row]), default: .init()].add(amount)
            summary.byStatus[PaymentTable.status(statuses[row]), default: .init()].add(amount)
            let local = createdAtMs[row] + utcOffsetMs
            let day = local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000
            days[day, default: .init()].add(amount)
        }
        summary.byDay = days.keys.sorted().map { (PaymentSummary.civilDate(day: $0), days[$0] ?? .init()) }
        return summary
    }
}
