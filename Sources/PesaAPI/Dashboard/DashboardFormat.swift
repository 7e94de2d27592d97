public import PesaCore

/// How the dashboard writes amounts and times: `KES 1,234.50` (thousands grouped, two decimals, a minus after
/// the currency), and Kenya time (EAT, UTC+3) to the minute.
public enum DashboardFormat {
    public static func kes(_ amount: Amount) -> String {
        kes(minorUnits: amount.minorUnits)
    }

    public static func kes(minorUnits: Int64) -> String {
        let magnitude = minorUnits.magnitude
        let cents = magnitude % 100
        let digits = String(magnitude / 100)
        var whole = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { whole.append(",") }
            whole.append(digit)
        }
        return "KES \(minorUnits < 0 ? "-" : "")\(whole).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// `2026-05-01 14:03` in Kenya time.
    public static func kenyaTime(ms: Int64) -> String {
        let minuteOfDay = (ms + KenyaTime.offsetMs).floorModulo(86_400_000) / 60_000
        let hour = minuteOfDay / 60
        let minute = minuteOfDay % 60
        return "\(KenyaTime.dayKey(ms: ms)) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }
}

extension Int64 {
    fileprivate func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
