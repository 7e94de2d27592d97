import DarajaWire
import Foundation

/// Daraja-looking identifiers (formats of Daraja's API documentation samples). Opaque; for realism only.
enum IDGenerator {
    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let receiptAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
    private static let monthLetters = Array("ABCDEFGHIJKL".utf8)
    private static let dayLetters = Array("123456789ABCDEFGHIJKLMNOPQRSTUV".utf8)

    static func hex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        var bits: UInt64 = 0
        for index in 0..<count {
            if index % 16 == 0 { bits = generator.next() }
            bytes.append(hexDigits[Int(bits & 0xF)])
            bits >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func digits(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        // One uniform draw (about one system call) per 18 digits.
        var draw: UInt64 = 0
        for index in 0..<count {
            if index % 18 == 0 { draw = UInt64.random(in: 0..<1_000_000_000_000_000_000, using: &generator) }
            bytes.append(UInt8(ascii: "0") + UInt8(draw % 10))
            draw /= 10
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `4hex-4hex-4hex-12hex` + 7 digits, the current requestId/MerchantRequestID shape.
    static func requestID() -> String {
        "\(hex(4))-\(hex(4))-\(hex(4))-\(hex(12))\(digits(7))"
    }

    /// `ws_CO_` + DDMMYYYYHHmmss + millis + the 9-digit national number.
    static func checkoutRequestID(at time: KenyaTime, msisdn: String) -> String {
        "ws_CO_" + time.checkoutStem + String(msisdn.suffix(9))
    }

    /// `AG_` + YYYYMMDD + `_` + 20 hex.
    static func conversationID(at time: KenyaTime) -> String {
        "AG_\(time.datePart)_\(hex(20))"
    }

    /// 10 characters: year letter, month letter, day character, 7 random (as in Daraja's STK callback samples).
    static func receipt(at time: KenyaTime) -> String {
        var bytes = receiptPrefix(at: time)
        // One uniform draw for the 7 characters: a 7-digit number in base 36.
        let base = UInt64(receiptAlphabet.count)
        var draw = UInt64.random(in: 0..<(0..<7).reduce(1) { value, _ in value * base })
        for _ in 0..<7 {
            bytes.append(receiptAlphabet[Int(draw % base)])
            draw /= base
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The placeholder receipt of a failed result: the 3-character prefix + `0000000`.
    static func failedReceipt(at time: KenyaTime) -> String {
        String(decoding: receiptPrefix(at: time), as: UTF8.self) + "0000000"
    }

    private static func receiptPrefix(at time: KenyaTime) -> [UInt8] {
        let yearLetter = UInt8(ascii: "A") + UInt8(clamping: max(0, min(25, time.year - 2006)))
        return [yearLetter, monthLetters[time.month - 1], dayLetters[time.day - 1]]
    }
}
