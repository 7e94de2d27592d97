import DarajaWire
import Foundation
import Testing

@Suite struct CivilDateTests {
    static func date(_ days: Int64) -> [Int64] {
        let civil = CivilDate.civil(daysSinceEpoch: days)
        return [civil.year, civil.month, civil.day]
    }

    @Test func knownDays() {
        #expect(Self.date(0) == [1970, 1, 1])
        #expect(Self.date(-1) == [1969, 12, 31])
        #expect(Self.date(11_016) == [2000, 2, 29])
        #expect(Self.date(19_723) == [2024, 1, 1])
        #expect(Self.date(-719_468) == [0, 3, 1])
        #expect(CivilDate.daysSinceEpoch(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilDate.daysSinceEpoch(year: 1900, month: 3, day: 1) == -25_508)  // 1900 is not a leap year
        #expect(CivilDate.daysSinceEpoch(year: 2025, month: 2, day: 29) == CivilDate.daysSinceEpoch(
            year: 2025, month: 3, day: 1))
    }

    @Test func dayNumbersOfUnixTimesRoundDown() {
        #expect(CivilDate.daysSinceEpoch(ms: 0) == 0)
        #expect(CivilDate.daysSinceEpoch(ms: CivilDate.dayMs - 1) == 0)
        #expect(CivilDate.daysSinceEpoch(ms: CivilDate.dayMs) == 1)
        #expect(CivilDate.daysSinceEpoch(ms: -1) == -1)
        #expect(CivilDate.daysSinceEpoch(ms: -CivilDate.dayMs) == -1)
        #expect(CivilDate.daysSinceEpoch(ms: -CivilDate.dayMs - 1) == -2)
    }

    /// Both directions agree with each other on every day from 1600 to 2400, and with Foundation's Gregorian
    /// calendar (UTC) on every day from 1900 to 2100.
    @Test func bothDirectionsAgreeWithEachOtherAndWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(secondsFromGMT: 0))
        let first = CivilDate.daysSinceEpoch(year: 1600, month: 1, day: 1)
        let last = CivilDate.daysSinceEpoch(year: 2400, month: 12, day: 31)
        let foundationDays = CivilDate.daysSinceEpoch(year: 1900, month: 1, day: 1)...CivilDate.daysSinceEpoch(
            year: 2100, month: 12, day: 31)
        var mismatches: [Int64] = []
        for days in first...last {
            let (year, month, day) = CivilDate.civil(daysSinceEpoch: days)
            if CivilDate.daysSinceEpoch(year: year, month: month, day: day) != days { mismatches.append(days) }
            guard foundationDays.contains(days) else { continue }
            let parts = calendar.dateComponents(
                [.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            if [parts.year, parts.month, parts.day] != [Int(year), Int(month), Int(day)] { mismatches.append(days) }
        }
        #expect(mismatches.isEmpty, "first mismatching days: \(mismatches.prefix(5))")
    }
}
