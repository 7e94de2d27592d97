/// Calendar dates and day numbers with integer arithmetic only (Howard Hinnant's `days_from_civil` and
/// `civil_from_days`, proleptic Gregorian calendar): no time-zone database, no Foundation calendar, and the same
/// answer on a server in any time zone. The one implementation behind Daraja's Kenyan timestamps (`KenyaTime`)
/// and the gateway's RFC 3339 times and report days.
public enum CivilDate {
    public static let dayMs: Int64 = 86_400_000

    /// Year, month (1...12) and day (1...31) of the day `daysSinceEpoch` days after 1970-01-01.
    public static func civil(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Days from 1970-01-01 to `year`-`month`-`day` (negative before it). `month` is 1...12, `day` 1...31; a day
    /// past the month's end counts on into the next month (`civil` of the result tells).
    public static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let marchYear = month <= 2 ? year - 1 : year
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day number (days since 1970-01-01, rounded down) of Unix time `ms`.
    public static func daysSinceEpoch(ms: Int64) -> Int64 {
        ms >= 0 ? ms / dayMs : (ms - dayMs + 1) / dayMs
    }
}
