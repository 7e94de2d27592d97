import PesaCore

/// The `tz` of a report: where its days are cut. Kenya time (EAT, UTC+3) when absent. Accepted: `UTC` (or `Z`,
/// `GMT`, `Etc/UTC`), a fixed offset `+HH:MM`, `-HH:MM`, `+HHMM` or `+HH` up to 14 hours, and the few zone names
/// below, whose offset has not changed in decades and has no daylight saving time: the gateway carries no time-zone
/// database, so a zone whose offset moves (Europe/London) is refused with a 422 naming `tz` rather than answered
/// with days cut at the wrong hour for half the year.
struct ReportTimeZone: Sendable, Equatable {
    let offsetMs: Int64

    static let kenya = ReportTimeZone(offsetMs: Limits.kenyaUTCOffsetMs)

    /// Zone names with a fixed offset, in minutes.
    static let fixedZones: [String: Int64] = [
        "Africa/Nairobi": 180, "Africa/Kampala": 180, "Africa/Dar_es_Salaam": 180, "Africa/Addis_Ababa": 180,
        "Africa/Mogadishu": 180, "Africa/Djibouti": 180, "Africa/Asmara": 180, "Africa/Kigali": 120,
        "Africa/Bujumbura": 120, "Africa/Lusaka": 120, "Africa/Harare": 120, "Africa/Maputo": 120,
        "Africa/Johannesburg": 120, "Africa/Lagos": 60, "Africa/Kinshasa": 60, "Africa/Accra": 0,
        "Asia/Dubai": 240, "Asia/Kolkata": 330, "Etc/UTC": 0,
    ]

    static let accepted =
        "tz must be UTC, a fixed offset such as +03:00 or -05:30, or a zone without daylight saving time ("
        + fixedZones.keys.sorted().joined(separator: ", ") + ")"

    init(offsetMs: Int64) { self.offsetMs = offsetMs }

    init(parameter: String?) throws(APIError) {
        guard var text = parameter else {
            self = .kenya
            return
        }
        // An unencoded `+` in a query string reads as a space.
        if text.hasPrefix(" ") { text = "+" + text.dropFirst() }
        guard let minutes = Self.minutes(text) else { throw .invalidField("tz", Self.accepted) }
        offsetMs = minutes * 60_000
    }

    /// `+03:00`, `-05:30`, `+00:00`: how the answer names the offset.
    var text: String {
        let minutes = abs(offsetMs) / 60_000
        let pad = { (value: Int64) in value < 10 ? "0\(value)" : "\(value)" }
        return (offsetMs < 0 ? "-" : "+") + pad(minutes / 60) + ":" + pad(minutes % 60)
    }

    private static func minutes(_ text: String) -> Int64? {
        if ["UTC", "Z", "GMT"].contains(text.uppercased()) { return 0 }
        if let minutes = fixedZones[text] { return minutes }
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        let colons = text.dropFirst().filter { $0 == ":" }.count
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count == 2 || digits.count == 4,
            colons == 0 || (colons == 1 && digits.count == 4 && text.dropFirst(3).first == ":"),
            let hours = Int64(digits.prefix(2)), let minutes = Int64(digits.count == 4 ? digits.suffix(2) : "00"),
            minutes < 60, hours * 60 + minutes <= 14 * 60
        else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 60 + minutes)
    }
}
