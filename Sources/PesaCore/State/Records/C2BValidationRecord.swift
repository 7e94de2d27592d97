/// How the organization answers Daraja's C2B validation requests (absent: every payment is accepted).
public struct C2BValidationRecord: Sendable, Equatable {
    public internal(set) var rejectUnknown: Bool
    /// Upper-cased.
    public internal(set) var accountReferences: Set<String>
    public internal(set) var updatedAtMs: Int64

    /// The policy in force when none was set: every payment is accepted.
    public static let acceptAll = C2BValidationRecord(rejectUnknown: false, accountReferences: [], updatedAtMs: 0)

    /// Whether a C2B payment with this account reference (BillRefNumber) is accepted.
    public func accepts(accountReference: String) -> Bool {
        !rejectUnknown || accountReferences.contains(Self.normalized(accountReference))
    }

    static func normalized(_ reference: String) -> String {
        String(reference.unicodeScalars.filter { !$0.properties.isWhitespace }).uppercased()
    }
}

extension C2BValidationRecord {
    func write(to writer: inout ByteWriter) {
        writer.bool(rejectUnknown)
        writer.u64(UInt64(accountReferences.count))
        for reference in accountReferences.sorted() { writer.string(reference) }
        writer.i64(updatedAtMs)
    }

    init(from reader: inout ByteReader) throws(PesaCoreError) {
        rejectUnknown = try reader.bool("reject_unknown")
        accountReferences = []
        for _ in 0..<(try reader.count("account references", minimumBytesEach: 4)) {
            accountReferences.insert(try reader.string("account reference"))
        }
        updatedAtMs = try reader.i64("updated_at_ms")
    }
}
