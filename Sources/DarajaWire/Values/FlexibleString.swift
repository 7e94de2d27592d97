import Foundation

/// A scalar Daraja sends as a JSON string in one place and as a JSON number in another
/// (`ResultCode`, `Amount`, `PartyA`, `BusinessShortCode`, ...).
///
/// Decoding accepts either form. Encoding writes the form the value was built with, so a decoded
/// payload re-encodes with Daraja's own types, and a value built from an integer goes out as a number.
public struct FlexibleString: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value as text: `"0"`, `"SFC_IC0003"`, `"254712345678"`.
    public let text: String
    /// Whether this value goes on the wire as a JSON number.
    public let encodesAsNumber: Bool

    /// A value sent as a JSON string.
    public init(_ text: String) {
        self.text = text
        self.encodesAsNumber = false
    }

    /// A value sent as a JSON number.
    public init(_ value: Int64) {
        self.text = String(value)
        self.encodesAsNumber = true
    }

    /// A value sent as a number when `text` is a plain integer, else as a string.
    public init(numberIfPossible text: String) {
        self.text = text
        self.encodesAsNumber = Int64(text) != nil
    }

    init(text: String, encodesAsNumber: Bool) {
        self.text = text
        self.encodesAsNumber = encodesAsNumber
    }

    public var description: String { text }

    /// The value as an integer, when it is one (`"0"` and `0` both give 0).
    public var int64Value: Int64? { Int64(text) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            self.init(string)
        } else if let integer = try? container.decode(Int64.self) {
            self.init(integer)
        } else if let decimal = try? container.decode(Decimal.self) {
            self.init(text: FlexibleString.format(decimal), encodesAsNumber: true)
        } else {
            throw DecodingError.typeMismatch(
                String.self,
                .init(codingPath: decoder.codingPath, debugDescription: "expected a string or a number")
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if encodesAsNumber, let integer = Int64(text) {
            try container.encode(integer)
        } else if encodesAsNumber, let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) {
            try container.encode(decimal)
        } else {
            try container.encode(text)
        }
    }

    static func format(_ decimal: Decimal) -> String {
        var value = decimal
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        if rounded == decimal, let integer = Int64(exactly: NSDecimalNumber(decimal: rounded).int64Value),
            Decimal(integer) == decimal
        {
            return String(integer)
        }
        return NSDecimalNumber(decimal: decimal).stringValue
    }
}

extension FlexibleString: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int64) { self.init(value) }
}
