/// The phone and receipt filters of lists and reports. A receipt is found through `byReceipt`, whose hashes fold
/// ASCII case, so a receipt typed in any case costs a lookup; a phone is compared with each row's `phoneKeys`
/// entry (4 bytes), and its text read only where that matches.
extension PaymentTable {
    /// A filter with its texts encoded once, as the rows store them, for comparing bytes row by row.
    struct RowMatcher {
        let filter: PaymentFilter
        let phoneKey: [UInt8]?
        /// What `phoneKeys` holds for rows of that phone.
        let phoneHash: UInt32
        /// The encoded receipt, its body in upper case.
        let receiptKey: [UInt8]?
        /// The column codes the filter's status and type have (worked out once, not per row).
        let statusCode: UInt8?
        let typeCode: UInt8?

        init(_ filter: PaymentFilter) {
            self.filter = filter
            statusCode = filter.status.map(PaymentTable.statusCode)
            typeCode = filter.type.map(PaymentTable.typeCode)
            phoneKey = filter.phone.map { phone in
                var key: [UInt8] = []
                PaymentTable.appendText(phone, to: &key)
                return key
            }
            receiptKey = filter.receipt.map(PaymentTable.foldedReceiptKey)
            phoneHash = phoneKey.map { UInt32(truncatingIfNeeded: RowIndex.hash($0)) } ?? 0
        }
    }

    func matches(_ matcher: RowMatcher, row: Int) -> Bool {
        if let key = matcher.phoneKey {
            guard phoneKeys[row] == matcher.phoneHash, arena[textRange(row, .phone)].elementsEqual(key) else {
                return false
            }
        }
        if let code = matcher.statusCode, statuses[row] != code { return false }
        if let code = matcher.typeCode, kinds[row] & PaymentTable.typeMask != code { return false }
        if let id = matcher.filter.shortCodeID, shortCodeID(at: row) != id { return false }
        guard TimeWindow.contains(createdAtMs[row], fromMs: matcher.filter.fromMs, toMs: matcher.filter.toMs) else {
            return false
        }
        if let key = matcher.receiptKey, !PaymentTable.foldedEqual(arena[textRange(row, .mpesaReceipt)], key) {
            return false
        }
        return true
    }

    func phoneCandidates(_ matcher: RowMatcher, in range: Range<Int>) -> PhoneCandidates {
        PhoneCandidates(keys: phoneKeys, hash: matcher.phoneHash, range: range)
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

    /// `phoneKeys` from the rows' records in one pass over the arena (on load).
    func buildPhoneKeys() -> ChunkedArray<UInt32> {
        var keys: [UInt32] = []
        keys.reserveCapacity(count)
        arena.withBase { base in
            for row in 0..<count {
                let start = textOffsets[row]
                guard start < base.count else {
                    // Written since the snapshot was read.
                    keys.append(UInt32(truncatingIfNeeded: textHash(row, .phone)))
                    continue
                }
                let end = start + TextField.bodyLength(base[start])
                keys.append(UInt32(truncatingIfNeeded: RowIndex.hash(UnsafeBufferPointer(rebasing: base[start...end]))))
            }
        }
        return ChunkedArray(keys)
    }

    /// The rows in `range` whose phone key is the one of `matcher`'s phone, newest first: a scan of `phoneKeys`
    /// a chunk at a time over its contiguous storage (a few ns a row), the rows whose key matches handed out
    /// for the full check.
    struct PhoneCandidates: IteratorProtocol {
        let keys: ChunkedArray<UInt32>
        let hash: UInt32
        let lower: Int
        /// Rows at or above it are scanned.
        var scanEnd: Int
        /// Matches of the last chunk scanned, oldest first (handed out from the end).
        var found: [Int] = []

        init(keys: ChunkedArray<UInt32>, hash: UInt32, range: Range<Int>) {
            self.keys = keys
            self.hash = hash
            lower = range.lowerBound
            scanEnd = range.upperBound
        }

        mutating func next() -> Int? {
            while found.isEmpty, scanEnd > lower {
                let chunk = (scanEnd - 1) >> ChunkedArray<UInt32>.chunkShift
                let chunkStart = chunk << ChunkedArray<UInt32>.chunkShift
                let from = max(chunkStart, lower)
                let (wanted, end) = (hash, scanEnd)
                keys.chunks[chunk].withUnsafeBufferPointer { chunkKeys in
                    for row in from..<end where chunkKeys[row - chunkStart] == wanted { found.append(row) }
                }
                scanEnd = from
            }
            return found.popLast()
        }
    }

    /// The rows of `range` whose status and type codes are the wanted ones, newest first: the status and kind
    /// columns scanned a chunk at a time (a list filtered by status or type that matches few of a million rows
    /// walks them all).
    struct ColumnCandidates: IteratorProtocol {
        let statuses: ChunkedArray<UInt8>
        let kinds: ChunkedArray<UInt8>
        let statusCode: UInt8?
        let typeCode: UInt8?
        let lower: Int
        /// Rows at or above it are scanned.
        var scanEnd: Int
        /// Matches of the last chunk scanned, oldest first (handed out from the end).
        var found: [Int] = []

        init(
            statuses: ChunkedArray<UInt8>, kinds: ChunkedArray<UInt8>, statusCode: UInt8?, typeCode: UInt8?,
            range: Range<Int>
        ) {
            (self.statuses, self.kinds, self.statusCode, self.typeCode) = (statuses, kinds, statusCode, typeCode)
            lower = range.lowerBound
            scanEnd = range.upperBound
        }

        mutating func next() -> Int? {
            while found.isEmpty, scanEnd > lower {
                let chunk = (scanEnd - 1) >> ChunkedArray<UInt8>.chunkShift
                let chunkStart = chunk << ChunkedArray<UInt8>.chunkShift
                let from = max(chunkStart, lower)
                let (end, status, type, mask) = (scanEnd, statusCode, typeCode, PaymentTable.typeMask)
                statuses.chunks[chunk].withUnsafeBufferPointer { chunkStatuses in
                    kinds.chunks[chunk].withUnsafeBufferPointer { chunkKinds in
                        for row in from..<end {
                            let index = row - chunkStart
                            if let status, chunkStatuses[index] != status { continue }
                            if let type, chunkKinds[index] & mask != type { continue }
                            found.append(row)
                        }
                    }
                }
                scanEnd = from
            }
            return found.popLast()
        }
    }
}
