public import Foundation

/// Kenyan wall-clock time (EAT, UTC+3, no daylight saving) as Daraja writes it.
///
/// Computed arithmetically from the Unix time, so it needs no time-zone database and gives
/// the same answer on a server in any time zone (a server abroad formatting its own local time sends
/// Daraja a timestamp it refuses as invalid).
public struct KenyaTime: Sendable, Hashable {
    public static let utcOffsetSeconds: Int64 = 3 * 3600

    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    public let millisecond: Int

    public init(_ date: Date) {
        let millisTotal = Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) + Self.utcOffsetSeconds * 1000
        let secondsTotal = millisTotal >= 0 ? millisTotal / 1000 : (millisTotal - 999) / 1000
        let days = CivilDate.daysSinceEpoch(ms: millisTotal)
        let secondOfDay = secondsTotal - days * 86_400
        let civil = CivilDate.civil(daysSinceEpoch: days)
        (year, month, day) = (Int(civil.year), Int(civil.month), Int(civil.day))
        hour = Int(secondOfDay / 3600)
        minute = Int(secondOfDay % 3600 / 60)
        second = Int(secondOfDay % 60)
        millisecond = Int(millisTotal - secondsTotal * 1000)
    }

    /// `YYYYMMDDHHmmss`, the STK `Timestamp`, `TransTime` and `TransactionDate` format.
    public var timestamp: String {
        pad(year, 4) + pad(month, 2) + pad(day, 2) + pad(hour, 2) + pad(minute, 2) + pad(second, 2)
    }

    /// `dd.MM.yyyy HH:mm:ss`, as in B2C `TransactionCompletedDateTime`.
    public var dotted: String {
        "\(pad(day, 2)).\(pad(month, 2)).\(pad(year, 4)) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }

    /// `DDMMYYYYHHmmss` + 3-digit milliseconds, the stem of a `CheckoutRequestID`.
    public var checkoutStem: String {
        pad(day, 2) + pad(month, 2) + pad(year, 4) + pad(hour, 2) + pad(minute, 2) + pad(second, 2)
            + pad(millisecond, 3)
    }

    /// `YYYYMMDD`, as in a `ConversationID`.
    public var datePart: String { pad(year, 4) + pad(month, 2) + pad(day, 2) }

    /// The instant a 14-digit `YYYYMMDDHHmmss` Kenyan timestamp names.
    public static func date(fromTimestamp text: String) throws(DarajaWireError) -> Date {
        let digits = Array(text.utf8)
        guard digits.count == 14, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw .invalidTimestamp(text)
        }
        func number(_ from: Int, _ count: Int) -> Int {
            digits[from..<(from + count)].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        let (year, month, day) = (number(0, 4), number(4, 2), number(6, 2))
        let (hour, minute, second) = (number(8, 2), number(10, 2), number(12, 2))
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else {
            throw .invalidTimestamp(text)
        }
        let days = CivilDate.daysSinceEpoch(year: Int64(year), month: Int64(month), day: Int64(day))
        guard CivilDate.civil(daysSinceEpoch: days) == (Int64(year), Int64(month), Int64(day)) else {
            throw .invalidTimestamp(text)
        }
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - utcOffsetSeconds
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
