extension ByteReader {
    /// A string naming a case of `Value` (its raw value).
    mutating func value<Value: RawRepresentable>(
        _ type: Value.Type, _ what: String
    ) throws(PesaCoreError) -> Value where Value.RawValue == String {
        let text = try string(what)
        guard let value = Value(rawValue: text) else { throw .snapshotCorrupt("\(what): unknown value \"\(text)\"") }
        return value
    }

    mutating func id<Kind>(_ type: PrefixedID<Kind>.Type, _ what: String) throws(PesaCoreError) -> PrefixedID<Kind> {
        let text = try string(what)
        guard let id = try? PrefixedID<Kind>(parsing: text) else {
            throw .snapshotCorrupt("\(what): bad id \"\(text)\"")
        }
        return id
    }

    mutating func optionalID<Kind>(
        _ type: PrefixedID<Kind>.Type, _ what: String
    ) throws(PesaCoreError) -> PrefixedID<Kind>? {
        try bool(what) ? try id(type, what) : nil
    }

    mutating func amount(_ what: String) throws(PesaCoreError) -> Amount { Amount(minorUnits: try i64(what)) }
}
