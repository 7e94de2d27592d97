import DarajaWire

/// When a webhook delivery is tried again. Attempt 1 goes at once; after a failure the next waits 5 s, then 5 min,
/// 30 min, 2 h, 5 h, 10 h and 10 h: eight attempts over about 27 hours, enough to ride out an endpoint's day-long
/// outage, after which the delivery is given up. An endpoint that answers `Retry-After` (a 429 or 503) is waited
/// for longer when it asks for more than the schedule, but never more than `retryAfterMsMax`.
public enum WebhookRetrySchedule {
    /// The wait before each attempt, in milliseconds: element `n` precedes attempt `n + 1`.
    public static let delaysMs: [Int64] = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]
    /// The longest `Retry-After` honoured: 24 hours.
    public static let retryAfterMsMax: Int64 = 86_400_000

    /// When the next attempt is due, after `attemptsMade` attempts (0 before the first), in milliseconds since 1970;
    /// nil when the schedule is exhausted. `retryAfterMs` is the wait the endpoint asked for (`retryAfterMs(_:)`
    /// of its answer), which wins over the schedule's when longer, up to `retryAfterMsMax`.
    public static func nextAttemptAtMs(attemptsMade: Int, nowMs: Int64, retryAfterMs: Int64?) -> Int64? {
        guard attemptsMade >= 0, attemptsMade < delaysMs.count else { return nil }
        let scheduled = delaysMs[attemptsMade]
        let asked = min(max(retryAfterMs ?? 0, 0), retryAfterMsMax)
        return nowMs + max(scheduled, asked)
    }

    /// The wait a `Retry-After` header asks for, in milliseconds from `nowMs`: delta-seconds (`120`) or an
    /// HTTP-date (RFC 9110: `Sun, 06 Nov 1994 08:49:37 GMT`, and the obsolete RFC 850 and asctime forms). A date
    /// in the past asks for no wait; nil when the header is neither.
    public static func retryAfterMs(_ header: String, nowMs: Int64) -> Int64? {
        let text = header.trimmingSpaces()
        guard !text.isEmpty else { return nil }
        if text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            // Past ten digits the wait is anyway beyond every cap; keep the arithmetic in range.
            guard text.count <= 10, let seconds = Int64(text) else { return retryAfterMsMax }
            return seconds * 1000
        }
        guard let dateMs = httpDateMs(text, nowMs: nowMs) else { return nil }
        return max(dateMs - nowMs, 0)
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// An HTTP-date in milliseconds since 1970, in any of its three forms; nil otherwise.
    static func httpDateMs(_ text: String, nowMs: Int64) -> Int64? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map { $0.lowercased() }
        guard let weekday = words.first, weekday.allSatisfy({ ("a"..."z").contains($0) }) else { return nil }
        switch words.count {
        case 6 where words[5] == "gmt":  // Sun, 06 Nov 1994 08:49:37 GMT
            return dateMs(day: words[1], month: words[2], year: words[3], time: words[4])
        case 4 where words[3] == "gmt":  // Sunday, 06-Nov-94 08:49:37 GMT
            let parts = words[1].split(separator: "-").map(String.init)
            guard parts.count == 3, parts[2].count == 2, let twoDigits = Int64(parts[2]) else { return nil }
            // RFC 9110: a two-digit year more than 50 years in the future is of the past century.
            let nowYear = CivilDate.civil(daysSinceEpoch: CivilDate.daysSinceEpoch(ms: nowMs)).year
            var year = nowYear - nowYear % 100 + twoDigits
            if year > nowYear + 50 { year -= 100 }
            return dateMs(day: parts[0], month: parts[1], year: String(year), time: words[2])
        case 5:  // Sun Nov  6 08:49:37 1994
            return dateMs(day: words[2], month: words[1], year: words[4], time: words[3])
        default:
            return nil
        }
    }

    static func dateMs(day: String, month: String, year: String, time: String) -> Int64? {
        let clock = time.split(separator: ":", omittingEmptySubsequences: false).map { Int64($0) }
        guard let dayNumber = number(day, digits: 1...2), (1...31).contains(dayNumber),
            let monthIndex = months.firstIndex(of: month), let yearNumber = number(year, digits: 4...4),
            clock.count == 3, time.count == 8, let hours = clock[0], let minutes = clock[1], let seconds = clock[2],
            (0...23).contains(hours), (0...59).contains(minutes), (0...60).contains(seconds)
        else { return nil }
        let days = CivilDate.daysSinceEpoch(year: yearNumber, month: Int64(monthIndex + 1), day: dayNumber)
        return days * CivilDate.dayMs + ((hours * 60 + minutes) * 60 + seconds) * 1000
    }

    static func number(_ text: String, digits: ClosedRange<Int>) -> Int64? {
        guard digits.contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(text)
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
