import DarajaWire

/// RFC 3339 (UTC, milliseconds) for `*_at` fields: `2026-11-28T15:25:01.674Z`. Integer arithmetic only
/// (DarajaWire's `CivilDate`), because Foundation's ISO 8601 formatting cost a measurable share of every answer
/// that carries dates.
enum RFC3339 {
    static func string(ms: Int64) -> String {
        let days = CivilDate.daysSinceEpoch(ms: ms)
        let msOfDay = ms - days * CivilDate.dayMs
        let (year, month, day) = CivilDate.civil(daysSinceEpoch: days)
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
