public import Foundation

/// Any JSON value. The sandbox reads request bodies through it so that it can validate fields in
/// Daraja's order and accept what Daraja accepts (numbers for strings, nulls, extra keys).
public enum JSONValue: Codable, Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case decimal(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Strings first, then integers: a failed `try?` costs an error allocation, and request bodies are
        // mostly strings and integers (the sandbox parses every request through this, so the order matters).
        if container.decodeNil() {
            self = .null
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let decimal = try? container.decode(Decimal.self) {
            self = .decimal(decimal)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else {
            self = .array(try container.decode([JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let integer): try container.encode(integer)
        case .decimal(let decimal): try container.encode(decimal)
        case .string(let string): try container.encode(string)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }

    /// A scalar as text: strings as they are, numbers printed plainly; nil for null, arrays and objects.
    public var scalarText: String? {
        switch self {
        case .string(let string): string
        case .integer(let integer): String(integer)
        case .decimal(let decimal): FlexibleString.format(decimal)
        case .bool(let flag): flag ? "true" : "false"
        case .null, .array, .object: nil
        }
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The first non-empty scalar among `keys` (either spelling of a misspelled key), trimmed of nothing:
    /// Daraja rejects stray whitespace, so callers see it.
    public func text(_ keys: String...) -> String? {
        for key in keys {
            if let text = self[key]?.scalarText, !text.isEmpty { return text }
        }
        return nil
    }
}
