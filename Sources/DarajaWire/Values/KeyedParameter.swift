/// One `{ "Key": ..., "Value": ... }` entry of `ResultParameters` or `ReferenceData`.
/// `Value` may be absent (a valueless `Occassion` or `TransactionReason`).
public struct KeyedParameter: Codable, Sendable, Hashable {
    public var key: String
    public var value: ParameterValue?

    public init(key: String, value: ParameterValue?) {
        self.key = key
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case key = "Key"
        case value = "Value"
    }
}

extension Array where Element == KeyedParameter {
    /// The value of the first entry named `key`; entries are looked up by key, never by index.
    public func value(forKey key: String) -> ParameterValue? {
        first { $0.key == key }?.value
    }
}
