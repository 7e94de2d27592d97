/// A Kenyan mobile number in Daraja's form: 12 digits, `2547XXXXXXXX` or `2541XXXXXXXX`.
///
/// Accepted input (spaces and dashes are ignored): `07XXXXXXXX`, `01XXXXXXXX`, `7XXXXXXXX`, `1XXXXXXXX`,
/// `2547XXXXXXXX`, `2541XXXXXXXX`, and the last two with a leading `+`. Anything else is refused with a reason.
public struct MSISDN: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The 12 digits, e.g. `254708374149`.
    public let digits: String

    public init(_ input: String) throws(PesaCoreError) {
        digits = try MSISDN.normalize(input)
    }

    /// `2547****4149`: safe to log.
    public var masked: String {
        String(digits.prefix(4)) + "****" + String(digits.suffix(4))
    }

    public var description: String { digits }

    public static func < (lhs: MSISDN, rhs: MSISDN) -> Bool { lhs.digits < rhs.digits }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try MSISDN(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }

    static func normalize(_ input: String) throws(PesaCoreError) -> String {
        var body = Array(input.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") })
        guard !body.isEmpty else { throw .invalidPhone("phone number is empty") }
        if body.first == UInt8(ascii: "+") {
            body.removeFirst()
            guard body.starts(with: Array("254".utf8)) else {
                throw .invalidPhone("only Kenyan numbers (+254...) are accepted")
            }
        }
        guard body.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .invalidPhone("phone number may hold only digits, spaces, dashes and a leading +")
        }
        let subscriber: ArraySlice<UInt8>
        switch body.count {
        case 12 where body.starts(with: Array("254".utf8)): subscriber = body[3...]
        case 10 where body[0] == UInt8(ascii: "0"): subscriber = body[1...]
        case 9: subscriber = body[...]
        case 12: throw .invalidPhone("a 12-digit number must start with 254")
        case 10: throw .invalidPhone("a 10-digit number must start with 0 (07... or 01...)")
        default:
            throw .invalidPhone("phone number has \(body.count) digits; expected 07XXXXXXXX or 2547XXXXXXXX")
        }
        guard let lead = subscriber.first, lead == UInt8(ascii: "7") || lead == UInt8(ascii: "1") else {
            throw .invalidPhone("not a Kenyan mobile number: the subscriber part must start with 7 or 1")
        }
        return "254" + String(decoding: subscriber, as: UTF8.self)
    }
}
