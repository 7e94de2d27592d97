/// A balance or transaction-status query and, once it came, Daraja's result.
public struct QueryRecord: Sendable, Equatable {
    public internal(set) var id: QueryID
    public internal(set) var kind: QueryKind
    public internal(set) var reason: TenantEvent.QueryReason
    public internal(set) var conversationID: String
    public internal(set) var originatorConversationID: String
    public internal(set) var paymentID: PaymentID?
    public internal(set) var mpesaReceipt: String?
    /// The profile it was sent with, and that profile's number.
    public internal(set) var shortCodeID: ShortCodeID?
    public internal(set) var shortCode: String?
    public internal(set) var resultCode: ResultCode?
    public internal(set) var resultDesc: String?
    /// Daraja's `ResultParameters`, key → text.
    public internal(set) var parameters: [String: String]
    public internal(set) var createdAtMs: Int64
    public internal(set) var updatedAtMs: Int64

    /// `pending` until the result came; then `completed` for result code 0, else `failed`.
    public var status: QueryStatus {
        guard let resultCode else { return .pending }
        return resultCode.numericValue == 0 ? .completed : .failed
    }
}

extension QueryRecord {
    func write(to writer: inout ByteWriter, formatVersion: Int) {
        writer.string(id.rawValue)
        writer.string(kind.rawValue)
        writer.string(reason.rawValue)
        writer.string(conversationID)
        writer.string(originatorConversationID)
        writer.optionalString(paymentID?.rawValue)
        writer.optionalString(mpesaReceipt)
        writer.optionalString(resultCode?.rawValue)
        writer.optionalString(resultDesc)
        writer.u64(UInt64(parameters.count))
        for key in parameters.keys.sorted() {
            writer.string(key)
            writer.string(parameters[key] ?? "")
        }
        writer.i64(createdAtMs)
        writer.i64(updatedAtMs)
        if formatVersion >= 7 {
            writer.optionalString(shortCodeID?.rawValue)
            writer.optionalString(shortCode)
        }
    }

    init(from reader: inout ByteReader, formatVersion: Int) throws(PesaCoreError) {
        id = try reader.id(QueryID.self, "query id")
        kind = try reader.value(QueryKind.self, "query kind")
        reason = try reader.value(TenantEvent.QueryReason.self, "query reason")
        conversationID = try reader.string("conversation_id")
        originatorConversationID = try reader.string("originator_conversation_id")
        let payment = try reader.optionalString("payment_id")
        paymentID = try payment.map { (text) throws(PesaCoreError) -> PaymentID in
            guard let id = try? PaymentID(parsing: text) else {
                throw .snapshotCorrupt("payment_id: bad id \"\(text)\"")
            }
            return id
        }
        mpesaReceipt = try reader.optionalString("mpesa_receipt")
        resultCode = try reader.optionalString("result_code").map(ResultCode.init)
        resultDesc = try reader.optionalString("result_desc")
        parameters = [:]
        for _ in 0..<(try reader.count("query parameters", minimumBytesEach: 8)) {
            let key = try reader.string("parameter key")
            parameters[key] = try reader.string("parameter value")
        }
        createdAtMs = try reader.i64("created_at_ms")
        updatedAtMs = try reader.i64("updated_at_ms")
        if formatVersion >= 7 {
            shortCodeID = try reader.optionalID(ShortCodeID.self, "query short_code_id")
            shortCode = try reader.optionalString("query short_code")
        }
    }
}
