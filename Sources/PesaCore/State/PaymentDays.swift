/// Counts and volumes of a tenant's payments per Kenya day, by type, status and short code: what a report over
/// whole Kenya days needs, so that a summary over a year reads a few thousand cells instead of every payment.
///
/// Derived, like `PaymentTable.pendingRows`: kept in step by the table as rows are appended and change status
/// (the reducer's only two ways to touch a tally), rebuilt from the columns in one pass on load, never written to
/// a snapshot. Each day also remembers the first and last row created in it: rows are in creation order except
/// for C2B payments dated by Daraja's transaction time, so a day's rows lie in that span, which lets a report
/// whose range starts or ends inside a day walk only that day's rows.
struct PaymentDays: Sendable {
    /// One Kenya day: its non-empty cells (a few dozen at most), unsorted, searched linearly.
    struct Day: Sendable {
        /// Days since 1970-01-01, in Kenya time.
        let number: Int64
        var cells: [Cell] = []
        var tallies: [PaymentSummary.Tally] = []
        var firstRow: Int
        var lastRow: Int

        init(number: Int64, row: Int) {
            self.number = number
            firstRow = row
            lastRow = row
        }

        mutating func add(_ cell: Cell, _ minorUnits: Int64) {
            if let index = cells.firstIndex(of: cell) {
                tallies[index].add(minorUnits)
            } else {
                cells.append(cell)
                var tally = PaymentSummary.Tally()
                tally.add(minorUnits)
                tallies.append(tally)
            }
        }

        mutating func remove(_ cell: Cell, _ minorUnits: Int64) {
            guard let index = cells.firstIndex(of: cell) else {
                preconditionFailure("a day loses only a payment it counted")
            }
            tallies[index].remove(minorUnits)
        }
    }

    /// What a payment is tallied under: its type's bits, status code and short-code reference, packed.
    struct Cell: Sendable, Hashable {
        let bits: UInt32

        init(typeBits: UInt8, statusCode: UInt8, shortCodeRef: UInt16) {
            bits = UInt32(typeBits & 0b11) | UInt32(statusCode) << 8 | UInt32(shortCodeRef) << 16
        }

        var type: PaymentType { PaymentTable.type(UInt8(bits & 0b11)) }
        var statusCode: UInt8 { UInt8(truncatingIfNeeded: bits >> 8) }
        var shortCodeRef: UInt16 { UInt16(truncatingIfNeeded: bits >> 16) }
    }

    /// Ascending by day number.
    private(set) var days: [Day] = []
    /// The day the last change touched: payments come in time order, so most changes hit it again.
    private var recent = 0

    static let dayMs: Int64 = 86_400_000

    /// The Kenya day number of an instant.
    static func day(ms: Int64) -> Int64 {
        let local = ms + Limits.kenyaUTCOffsetMs
        return local >= 0 ? local / dayMs : (local - dayMs + 1) / dayMs
    }

    /// Where Kenya day `number` starts, in Unix milliseconds.
    static func startMs(day number: Int64) -> Int64 { number * dayMs - Limits.kenyaUTCOffsetMs }

    /// A new row, created at `createdAtMs`.
    mutating func add(row: Int, createdAtMs: Int64, cell: Cell, minorUnits: Int64) {
        let index = dayIndex(Self.day(ms: createdAtMs), row: row)
        days[index].firstRow = min(days[index].firstRow, row)
        days[index].lastRow = max(days[index].lastRow, row)
        days[index].add(cell, minorUnits)
    }

    /// A row changed status: its tally moves from one cell to the other, within its creation day.
    mutating func move(createdAtMs: Int64, from old: Cell, to new: Cell, minorUnits: Int64) {
        guard old != new else { return }
        let number = Self.day(ms: createdAtMs)
        guard let index = existingIndex(number) else { preconditionFailure("a counted row's day exists") }
        days[index].remove(old, minorUnits)
        days[index].add(new, minorUnits)
    }

    /// Indexes of the days numbered from `first` (inclusive) to `end` (exclusive); nil: unbounded.
    func indexes(from first: Int64?, to end: Int64?) -> Range<Int> {
        let lower = first.map { number in position(of: number) } ?? 0
        let upper = end.map { number in position(of: number) } ?? days.count
        return lower..<max(lower, upper)
    }

    /// The first index whose day is not before `number`.
    private func position(of number: Int64) -> Int {
        var low = 0
        var high = days.count
        while low < high {
            let middle = (low + high) / 2
            if days[middle].number < number { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func existingIndex(_ number: Int64) -> Int? {
        if recent < days.count, days[recent].number == number { return recent }
        let index = position(of: number)
        guard index < days.count, days[index].number == number else { return nil }
        recent = index
        return index
    }

    /// The day's index, inserting the day (at its place) when it is new.
    private mutating func dayIndex(_ number: Int64, row: Int) -> Int {
        if let index = existingIndex(number) { return index }
        let index = position(of: number)
        days.insert(Day(number: number, row: row), at: index)
        recent = index
        return index
    }
}

extension PaymentTable {
    /// The cell the row is tallied under now.
    func dayCell(at row: Int) -> PaymentDays.Cell {
        PaymentDays.Cell(typeBits: kinds[row], statusCode: statuses[row], shortCodeRef: shortCodeRefs[row])
    }

    /// `days` from the columns, in one pass (on load, and after rows got short codes; public for
    /// `pesa-bench open-tenant --phases`, which times it).
    public mutating func rebuildDays() {
        var rebuilt = PaymentDays()
        for row in 0..<count {
            rebuilt.add(row: row, createdAtMs: createdAtMs[row], cell: dayCell(at: row), minorUnits: amounts[row])
        }
        days = rebuilt
    }
}
