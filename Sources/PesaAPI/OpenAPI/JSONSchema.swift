import PesaCore

/// Small builders for the JSON-schema dictionaries that document request and response bodies.
public enum JSONSchema {
    public static let string: JSONValue = ["type": "string"]
    public static let integer: JSONValue = ["type": "integer"]
    public static let number: JSONValue = ["type": "number"]
    public static let boolean: JSONValue = ["type": "boolean"]
    public static let dateTime: JSONValue = ["type": "string", "format": "date-time"]

    public static func string(pattern: String) -> JSONValue { ["type": "string", "pattern": .string(pattern)] }

    public static func enumeration(_ values: [String]) -> JSONValue {
        ["type": "string", "enum": .array(values.map(JSONValue.string))]
    }

    public static func array(of items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

    public static func nullable(_ schema: JSONValue) -> JSONValue { ["anyOf": [schema, ["type": "null"]]] }

    /// An object; `required` lists the keys that must be present. Unknown keys are allowed (and ignored).
    public static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.sorted().map(JSONValue.string)) }
        return .object(schema)
    }

    /// A rate limit, `{"per_minute": N, "burst": M}`: in a request `burst` may be left out and no other key is
    /// taken; in an answer `burst` is the bucket's capacity in force.
    public static let rateLimit: JSONValue = [
        "type": "object", "additionalProperties": false, "required": ["per_minute"],
        "properties": [
            "per_minute": ["type": "integer", "minimum": 1, "maximum": .int(Int(Limits.rateLimitPerMinuteMax))],
            "burst": ["type": "integer", "minimum": 1, "maximum": .int(Int(Limits.tokenBucketCapacityMax))],
        ],
    ]

    /// A reference to a component schema (`#/components/schemas/Name`).
    public static func reference(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    /// A list page of `items`: `{data: [...], next_cursor: string | null}`.
    public static func page(of items: JSONValue) -> JSONValue {
        object(["data": array(of: items), "next_cursor": nullable(string)], required: ["data", "next_cursor"])
    }

    /// The query parameters of every list (`PageRequest`): `limit` and `cursor`.
    public static let pageQuery: [String: JSONValue] = ["limit": integer, "cursor": string]

    /// The contract's error object.
    public static let error: JSONValue = object(
        [
            "error": object(
                [
                    "type": enumeration(APIError.ErrorType.allCases.map(\.rawValue)),
                    "code": enumeration(APIError.Code.allCases.map(\.rawValue)),
                    "message": string,
                    "param": string,
                    "request_id": string,
                ],
                required: ["type", "code", "message", "request_id"])
        ],
        required: ["error"])
}
