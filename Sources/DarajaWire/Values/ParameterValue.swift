public import Foundation

/// The `Value` of a `CallbackMetadata.Item`, a `ResultParameter` or a `ReferenceItem`:
/// a number (`150.00`, `20250314101542`, `-215.00`) or a string (`"Y"`, pipe-delimited balances).
public enum ParameterValue: Codable, Sendable, Hashable, CustomStringConvertible {
    case string(String)
    /// A whole number (`20250314101542`, `254712345678`, `500`).
    case integer(Int64)
    /// A number with a fraction part, or too large for `Int64` (`94250.50`).
    case number(Decimal)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let decimal = try? container.decode(Decimal.self) {
            self = .number(decimal)
        } else if let flag = try? container.decode(Bool.self) {
            self = .string(flag ? "true" : "false")
        } else {
            throw DecodingError.typeMismatch(
                String.self,
                .init(codingPath: decoder.codingPath, debugDescription: "expected a string or a number")
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let string): try container.encode(string)
        case .integer(let integer): try container.encode(integer)
        case .number(let decimal):
            if let integer = Int64(FlexibleString.format(decimal)) {
                try container.encode(integer)
            } else {
                try container.encode(decimal)
            }
        }
    }

    /// The value as text, whatever its JSON type.
    public var text: String {
        switch self {
        case .string(let string): string
        case .integer(let integer): String(integer)
        case .number(let decimal): FlexibleString.format(decimal)
        }
    }

    public var description: String { text }

    /// Whole units when the value is an integral number or an integral numeric string (`"2390.00"` -> 2390).
    public var wholeUnits: Int64? {
        switch self {
        case .integer(let integer):
            return integer
        case .number(let decimal):
            return Int64(FlexibleString.format(decimal))
        case .string(let string):
            if let integer = Int64(string) { return integer }
            guard let decimal = Decimal(string: string, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
            return Int64(FlexibleString.format(decimal))
        }
    }
}
