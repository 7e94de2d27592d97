import PesaCore

/// `rate_limit` of a request body (`PATCH /v1/orgs/{id}`, `POST /v1/api-keys`): a whole number of requests per
/// minute (the older form: burst left to the plan) or `{"per_minute": N, "burst": M}` with `burst` optional.
/// Anything else is 422 naming the field: a string, a fraction or a boolean (`rate_limit`, or
/// `rate_limit.per_minute` inside the object), a key other than those two (`rate_limit`), a missing
/// `per_minute`, or a number out of range (0, negative, above `Limits.rateLimitPerMinuteMax` or
/// `Limits.tokenBucketCapacityMax`). It is decoded before anything is written, so a refused body changes
/// nothing.
struct RateLimitBody: Codable, Sendable {
    let limit: RateLimit

    func encode(to encoder: any Encoder) throws { try limit.encode(to: encoder) }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let field = JSONBody.path(decoder.codingPath)
        guard let object = try? decoder.container(keyedBy: Key.self) else {
            guard let perMinute = try? decoder.singleValueContainer().decode(Int64.self) else {
                throw APIError.invalidField(
                    field,
                    "\(field) must be a whole number of requests per minute or {\"per_minute\": N, \"burst\": M}")
            }
            guard (1...Limits.rateLimitPerMinuteMax).contains(perMinute) else {
                throw APIError.invalidField(field, "\(field) must be 1 to \(Limits.rateLimitPerMinuteMax) per minute")
            }
            limit = RateLimit(perMinute: perMinute)
            return
        }
        let unknown = object.allKeys.map(\.stringValue).sorted().first { !["per_minute", "burst"].contains($0) }
        if let unknown {
            throw APIError.invalidField(
                field, "\(field) takes only per_minute and burst, not \(Self.printable(unknown))")
        }
        let perMinute = try Self.integer(object, "per_minute", field: field, required: true)
        let burst = try Self.integer(object, "burst", field: field, required: false)
        limit = RateLimit(perMinute: perMinute ?? 0, burst: burst)
        if let problem = limit.problem(prefix: field) { throw APIError.invalidField(problem.field, problem.message) }
    }

    private static func integer(
        _ object: KeyedDecodingContainer<Key>, _ name: String, field: String, required: Bool
    ) throws(APIError) -> Int64? {
        let key = Key(stringValue: name)
        let param = "\(field).\(name)"
        guard object.contains(key), (try? object.decodeNil(forKey: key)) == false else {
            if required { throw .invalidField(param, "\(param) is required") }
            return nil
        }
        guard let value = try? object.decode(Int64.self, forKey: key) else {
            throw .invalidField(param, "\(param) must be a whole number")
        }
        return value
    }

    /// A key as an error message may show it: printable ASCII, at most 40 characters, quoted.
    private static func printable(_ key: String) -> String {
        "\"" + String(key.unicodeScalars.prefix(40).map { $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
            + "\""
    }
}
