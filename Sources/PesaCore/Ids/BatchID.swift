/// A payout batch id, as the HTTP contract shows it: `bat_<org slug>_<sequence>`, e.g. `bat_acme-shop_000042`:
/// the organization's slug, then the batch's number in that organization (1, 2, …), at least six digits so the
/// ids of a year's batches sort as text too. The slug cannot hold `_`, so the id splits at its last `_`. The
/// slug says whose batch it is to a person reading a bank statement or a CSV; it grants nothing (a batch is
/// looked up in the caller's organization only).
public struct BatchID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public static let prefix = "bat"
    public let rawValue: String
    public let slug: OrgSlug
    /// 1 for an organization's first batch.
    public let sequence: Int64

    public init(slug: OrgSlug, sequence: Int64) {
        precondition(sequence >= 1, "batch sequences start at 1")
        self.slug = slug
        self.sequence = sequence
        rawValue = BatchID.prefix + "_" + slug.rawValue + "_" + BatchID.digits(sequence)
    }

    /// The sequence as written in an id: decimal, zero-padded to `Limits.batchSequenceDigitsMin` digits.
    static func digits(_ sequence: Int64) -> String {
        let text = String(sequence)
        return String(repeating: "0", count: max(0, Limits.batchSequenceDigitsMin - text.count)) + text
    }

    public init(parsing text: String, field: String = "id") throws(PesaCoreError) {
        let expected = BatchID.prefix + "_"
        guard text.hasPrefix(expected) else {
            throw .invalidID("\(field) must start with \(expected)", field: field)
        }
        let slugStart = text.index(text.startIndex, offsetBy: expected.count)
        guard let split = text[slugStart...].lastIndex(of: "_") else {
            throw .invalidID("\(field) must be bat_<org slug>_<number>", field: field)
        }
        let slugText = String(text[slugStart..<split])
        guard let slug = try? OrgSlug(slugText) else {
            throw .invalidID("\(field) must be bat_<org slug>_<number>", field: field)
        }
        let body = String(text[text.index(after: split)...])
        // One spelling per batch: the canonical padding only, so two strings never name the same batch.
        guard body.count <= 18, body.allSatisfy({ $0.isASCII && $0.isNumber }), let sequence = Int64(body),
            sequence >= 1, BatchID.digits(sequence) == body
        else {
            throw .invalidID(
                "\(field) must end with the batch number (at least \(Limits.batchSequenceDigitsMin) digits)",
                field: field)
        }
        self.init(slug: slug, sequence: sequence)
    }

    public var description: String { rawValue }

    /// Oldest first within an organization.
    public static func < (lhs: BatchID, rhs: BatchID) -> Bool {
        lhs.slug == rhs.slug ? lhs.sequence < rhs.sequence : lhs.rawValue < rhs.rawValue
    }

    /// The id of row `index` (0-based) as the contract shows it: `row_<org slug>_<batch number>_<row number>`,
    /// the row number counting from 1 as in the uploaded file.
    public func itemID(_ index: Int) -> String {
        "row_" + slug.rawValue + "_" + BatchID.digits(sequence) + "_" + String(index + 1)
    }

    /// The row index an id of `itemID(_:)` names in this batch, or nil.
    public func itemIndex(parsing text: String) -> Int? {
        let prefix = "row_" + slug.rawValue + "_" + BatchID.digits(sequence) + "_"
        guard text.hasPrefix(prefix), let number = Int(text.dropFirst(prefix.count)), number >= 1 else { return nil }
        return number - 1
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
