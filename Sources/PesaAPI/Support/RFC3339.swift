/// RFC 3339 (UTC, milliseconds) for `*_at` fields: `2026-11-28T15:25:01.674Z`. Integer arithmetic only (the
/// days-to-civil-date algorithm of H. Hinnant's "chrono-compatible low-level date algorithms"), because
/// Foundation's ISO 8601 formatting cost a measurable share of every answer that carries dates.
enum RFC3339 {
    static let dayMs: Int64 = 86_400_000

    static func string(ms: Int64) -> String {
        let days = ms >= 0 ? ms / dayMs : (ms - dayMs + 1) / dayMs
        let msOfDay = ms - days * dayMs
        let (year, month, day) = civil(daysSinceEpoch: days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        if year < 0 { bytes.append(UInt8(ascii: "-")) }
        append(abs(year), digits: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(month, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(day, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        append(msOfDay / 3_600_000, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(msOfDay / 60_000 % 60, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(msOfDay / 1000 % 60, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        append(msOfDay % 1000, digits: 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Proleptic Gregorian year, month (1...12) and day (1...31) of a day counted from 1970-01-01.
    static func civil(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func append(_ value: Int64, digits: Int, to bytes: inout [UInt8]) {
        var place: Int64 = 1
        for _ in 1..<digits { place *= 10 }
        while value / place >= 10 { place *= 10 }
        while place >= 1 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / place % 10))
            place /= 10
        }
    }
}
