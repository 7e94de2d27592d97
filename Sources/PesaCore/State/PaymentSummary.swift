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
    /// Days in ascending order, as day numbers (days since 1970-01-01) in the offset's local time; DarajaWire's
    /// `CivilDate`, the package's one calendar arithmetic, gives their dates.
    public internal(set) var byDay: [(day: Int64, tally: Tally)] = []

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
            && lhs.byDay.map(\.day) == rhs.byDay.map(\.day) && lhs.byDay.map(\.tally) == rhs.byDay.map(\.tally)
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
        summary.byDay = days.keys.sorted().map { ($0, days[$0] ?? .init()) }
        return summary
    }
}
