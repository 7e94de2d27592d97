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

    /// The rows of a range that a scan of columns picks, newest first, the columns read a chunk of rows at a
    /// time over their contiguous storage (a few ns a row): a list that matches few of a million rows walks them
    /// all. `scan` appends the matches among `rows` of chunk `chunk` (whose first row is `chunkStart`), oldest
    /// first.
    struct ChunkScan: IteratorProtocol {
        typealias Scan = (_ chunk: Int, _ chunkStart: Int, _ rows: Range<Int>, _ found: inout [Int]) -> Void
        let lower: Int
        /// Rows at or above it are scanned.
        var scanEnd: Int
        /// Matches of the last chunk scanned, oldest first (handed out from the end).
        var found: [Int] = []
        let scan: Scan

        init(_ range: Range<Int>, scan: @escaping Scan) {
            lower = range.lowerBound
            scanEnd = range.upperBound
            self.scan = scan
        }

        mutating func next() -> Int? {
            let shift = ChunkedArray<UInt8>.chunkShift
            while found.isEmpty, scanEnd > lower {
                let chunk = (scanEnd - 1) >> shift
                let chunkStart = chunk << shift
                let from = max(chunkStart, lower)
                scan(chunk, chunkStart, from..<scanEnd, &found)
                scanEnd = from
            }
            return found.popLast()
        }
    }

    /// The rows in `range` whose phone key is the one of `matcher`'s phone, newest first (`phoneKeys` scanned),
    /// handed out for the full check.
    func phoneCandidates(_ matcher: RowMatcher, in range: Range<Int>) -> ChunkScan {
        let (keys, wanted) = (phoneKeys, matcher.phoneHash)
        return ChunkScan(range) { chunk, chunkStart, rows, found in
            keys.chunks[chunk].withUnsafeBufferPointer { chunkKeys in
                for row in rows where chunkKeys[row - chunkStart] == wanted { found.append(row) }
            }
        }
    }

    /// The rows of `range` whose status and type codes are the wanted ones (either nil: any), newest first.
    func columnCandidates(statusCode: UInt8?, typeCode: UInt8?, in range: Range<Int>) -> ChunkScan {
        let (statuses, kinds, mask) = (self.statuses, self.kinds, PaymentTable.typeMask)
        return ChunkScan(range) { chunk, chunkStart, rows, found in
            statuses.chunks[chunk].withUnsafeBufferPointer { chunkStatuses in
                kinds.chunks[chunk].withUnsafeBufferPointer { chunkKinds in
                    for row in rows {
                        let index = row - chunkStart
                        if let statusCode, chunkStatuses[index] != statusCode { continue }
                        if let typeCode, chunkKinds[index] & mask != typeCode { continue }
                        found.append(row)
                    }
                }
            }
        }
    }
}
