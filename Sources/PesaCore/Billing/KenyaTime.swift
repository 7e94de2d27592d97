/// Billing's calendar: months and days in Kenya time (EAT, UTC+3, no daylight saving), as `YYYY-MM` and
/// `YYYY-MM-DD`. Pure arithmetic on civil dates, no time zone database.
public enum KenyaTime {
    /// EAT is UTC+3 all year.
    public static let offsetMs: Int64 = 3 * 3_600_000
    static let dayMs: Int64 = 86_400_000

    /// The Kenya date of an instant.
    public static func date(ms: Int64) -> (year: Int, month: Int, day: Int) {
        let days = Int((ms + offsetMs).floorDivided(by: dayMs))
        return civil(daysSinceEpoch: days)
    }

    /// `YYYY-MM` of an instant, in Kenya time.
    public static func monthKey(ms: Int64) -> String {
        let date = date(ms: ms)
        return pad(date.year, 4) + "-" + pad(date.month, 2)
    }

    /// `YYYY-MM-DD` of an instant, in Kenya time.
    public static func dayKey(ms: Int64) -> String {
        let date = date(ms: ms)
        return pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2)
    }

    /// The instants a `YYYY-MM` month spans in Kenya time, start inclusive, end exclusive; nil when the text is
    /// not such a month (years 2000 to 9999).
    public static func month(_ text: String) -> (startMs: Int64, endMs: Int64)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), (2000...9999).contains(year), (1...12).contains(month)
        else { return nil }
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        let start = Int64(daysSinceEpoch(year: year, month: month, day: 1)) * dayMs - offsetMs
        let end = Int64(daysSinceEpoch(year: next.0, month: next.1, day: 1)) * dayMs - offsetMs
        return (start, end)
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPart = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPart + 2) / 5 + 1
        let month = monthPart < 10 ? monthPart + 3 : monthPart - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (instants before 1970 fall on the right day).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

extension KenyaTime {
    /// The Kenya day of an instant, as days since 1970-01-01 (day boundaries at 00:00 EAT).
    public static func dayIndex(ms: Int64) -> Int64 { (ms + offsetMs).floorDivided(by: dayMs) }

    /// The instant a Kenya day (`dayIndex`) starts.
    public static func startMs(ofDay day: Int64) -> Int64 { day * dayMs - offsetMs }

    /// The month after `YYYY-MM` (nil when the text is not a month).
    public static func month(after text: String) -> String? {
        guard let range = month(text) else { return nil }
        return monthKey(ms: range.endMs)
    }

    /// The month before `YYYY-MM` (nil when the text is not a month).
    public static func month(before text: String) -> String? {
        guard let range = month(text) else { return nil }
        return monthKey(ms: range.startMs - 1)
    }

    /// The days of a month's range (28 to 31).
    public static func dayCount(of range: (startMs: Int64, endMs: Int64)) -> Int64 {
        (range.endMs - range.startMs) / dayMs
    }
}
