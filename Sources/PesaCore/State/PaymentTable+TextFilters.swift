/// The phone and receipt filters of lists and reports. A receipt is found through `byReceipt`, whose hashes fold
/// ASCII case, so a receipt typed in any case costs a lookup; a phone is compared with each row's phone bytes
/// where the row is read anyway (the first text of a record: no other field is decoded).
extension PaymentTable {
    /// A filter with its texts encoded once, as the rows store them, for comparing bytes row by row.
    struct RowMatcher {
        let filter: PaymentFilter
        let phoneKey: [UInt8]?
        /// The encoded receipt, its body in upper case.
        let receiptKey: [UInt8]?

        init(_ filter: PaymentFilter) {
            self.filter = filter
            phoneKey = filter.phone.map { phone in
                var key: [UInt8] = []
                PaymentTable.appendText(phone, to: &key)
                return key
            }
            receiptKey = filter.receipt.map(PaymentTable.foldedReceiptKey)
        }
    }

    func matches(_ matcher: RowMatcher, row: Int) -> Bool {
        guard matches(matcher.filter, row: row) else { return false }
        if let key = matcher.phoneKey, !arena[textRange(row, .phone)].elementsEqual(key) { return false }
        if let key = matcher.receiptKey, !PaymentTable.foldedEqual(arena[textRange(row, .mpesaReceipt)], key) {
            return false
        }
        return true
    }

    /// The rows whose receipt is `receipt` in any ASCII case, oldest first.
    func rows(forReceiptIgnoringCase receipt: String) -> [Int] {
        let key = PaymentTable.foldedReceiptKey(receipt)
        guard key.count > 1 else { return [] }
        var found = Set<Int>()
        _ = byReceipt.find(hash: PaymentTable.keyHash(key, .mpesaReceipt)) { row in
            if PaymentTable.foldedEqual(arena[textRange(row, .mpesaReceipt)], key) { found.insert(row) }
            return false
        }
        return found.sorted()
    }

    /// The hash an index keeps an encoded text under: a receipt's plain body is hashed in upper case (a filter
    /// finds it in any case; an exact lookup still compares the bytes), every other text as it is.
    static func keyHash<Bytes: Collection>(_ encoded: Bytes, _ field: Text) -> UInt64 where Bytes.Element == UInt8 {
        guard field == .mpesaReceipt, let header = encoded.first, header <= TextField.plainLengthMax else {
            return RowIndex.hash(encoded)
        }
        return RowIndex.hash(encoded) { index, byte in index == 0 ? byte : PaymentTable.upper(byte) }
    }

    static func foldedReceiptKey(_ receipt: String) -> [UInt8] {
        var key: [UInt8] = []
        PaymentTable.appendText(String(decoding: receipt.utf8.map(upper), as: UTF8.self), to: &key)
        return key
    }

    /// Whether an encoded text equals `key` (whose body is upper case) once its plain body is upper-cased.
    static func foldedEqual(_ stored: ArraySlice<UInt8>, _ key: [UInt8]) -> Bool {
        guard stored.count == key.count, let header = stored.first, header == key.first else { return false }
        guard header <= TextField.plainLengthMax else { return stored.elementsEqual(key) }
        return zip(stored.dropFirst(), key.dropFirst()).allSatisfy { upper($0) == $1 }
    }

    static func upper(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
    }
}
