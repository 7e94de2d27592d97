/// Coding keys of any name, for the types that accept two spellings of a key.
struct AnyCodingKey: CodingKey, Hashable {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { self.stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == AnyCodingKey {
    func flexible(_ names: String...) throws -> FlexibleString? {
        for name in names {
            if let value = try decodeIfPresent(FlexibleString.self, forKey: AnyCodingKey(name)) { return value }
        }
        return nil
    }

    func required(_ names: String...) throws -> FlexibleString {
        for name in names {
            if let value = try decodeIfPresent(FlexibleString.self, forKey: AnyCodingKey(name)) { return value }
        }
        throw DecodingError.keyNotFound(
            AnyCodingKey(names[0]), .init(codingPath: codingPath, debugDescription: "missing \(names[0])")
        )
    }

    /// The optional occasion under either spelling, with the spelling found.
    func occasion(default spelling: OccasionSpelling) throws -> (String?, OccasionSpelling) {
        if let value = try decodeIfPresent(String.self, forKey: AnyCodingKey("Occassion")) {
            return (value, .occassion)
        }
        if let value = try decodeIfPresent(String.self, forKey: AnyCodingKey("Occasion")) { return (value, .occasion) }
        return (nil, spelling)
    }
}

extension KeyedEncodingContainer where Key == AnyCodingKey {
    mutating func put(_ value: some Encodable, _ name: String) throws {
        try encode(value, forKey: AnyCodingKey(name))
    }

    mutating func putIfPresent(_ value: (some Encodable)?, _ name: String) throws {
        try encodeIfPresent(value, forKey: AnyCodingKey(name))
    }
}
