extension PaymentTable: Equatable {
    /// Equal when every row reads the same (where garbage sits in the arena does not matter).
    public static func == (lhs: PaymentTable, rhs: PaymentTable) -> Bool {
        guard lhs.idHigh == rhs.idHigh, lhs.idLow == rhs.idLow, lhs.amounts == rhs.amounts,
            lhs.createdAtMs == rhs.createdAtMs, lhs.updatedAtMs == rhs.updatedAtMs, lhs.kinds == rhs.kinds,
            lhs.statuses == rhs.statuses, lhs.reconcileAttempts == rhs.reconcileAttempts,
            lhs.callbackCounts == rhs.callbackCounts, lhs.resultCodeRefs == rhs.resultCodeRefs,
            lhs.firstEventSeqs == rhs.firstEventSeqs, lhs.lastEventSpans == rhs.lastEventSpans,
            lhs.resultDescRefs == rhs.resultDescRefs, lhs.interned == rhs.interned
        else { return false }
        for row in 0..<lhs.count where lhs.shortCodeID(at: row) != rhs.shortCodeID(at: row) { return false }
        for row in 0..<lhs.count {
            let left = lhs.textOffsets[row]
            let right = rhs.textOffsets[row]
            let length = lhs.recordLength(at: left)
            guard length == rhs.recordLength(at: right),
                lhs.arena[left..<(left + length)] == rhs.arena[right..<(right + length)]
            else { return false }
        }
        return true
    }
}

extension PaymentTable {
    static let pauseEveryRows = 4_096

    /// Writes the table (data-layout.md, "Payment table"): row count, the fixed columns
    /// whole, the text records in row order with no garbage, then the interned texts. Calls `pause` after
    /// each `pauseEveryRows` text records.
    func write(to writer: inout ByteWriter, formatVersion: Int, pausing pause: () -> Void = {}) {
        writer.u64(UInt64(count))
        idHigh.write(to: &writer)
        idLow.write(to: &writer)
        amounts.write(to: &writer)
        createdAtMs.write(to: &writer)
        writer.column(updatedAtMs)
        writer.column(kinds)
        writer.column(statuses)
        writer.column(reconcileAttempts)
        writer.column(callbackCounts)
        writer.column(firstEventSeqs)
        writer.column(lastEventSpans)
        writer.column(resultCodeRefs)
        writer.column(resultDescRefs)
        var lengths: [Int] = []
        lengths.reserveCapacity(count)
        var textBytes = 0
        for row in 0..<count {
            let length = recordLength(at: textOffsets[row])
            lengths.append(length)
            textBytes += length
            if row % Self.pauseEveryRows == Self.pauseEveryRows - 1 { pause() }
        }
        writer.u64(UInt64(textBytes))
        for row in 0..<count {
            let start = textOffsets[row]
            writer.raw(arena[start..<(start + lengths[row])])
            if row % Self.pauseEveryRows == Self.pauseEveryRows - 1 { pause() }
        }
        writer.u64(UInt64(interned.count))
        for text in interned { writer.string(text) }
        guard formatVersion >= 7 else { return }
        writer.u64(UInt64(shortCodes.count))
        for (id, number) in shortCodes {
            writer.string(id.rawValue)
            writer.string(number)
        }
        writer.column(shortCodeRefs)
    }

    /// Reads what `write(to:)` wrote and rebuilds the indexes.
    init(from reader: inout ByteReader, formatVersion: Int) throws(PesaCoreError) {
        self.init()
        let rows = try reader.count("payment rows", minimumBytesEach: 70)
        idHigh = try reader.sharedColumn(rows, of: UInt64.self, "id_high")
        idLow = try reader.sharedColumn(rows, of: UInt64.self, "id_low")
        amounts = try reader.sharedColumn(rows, of: Int64.self, "amount")
        createdAtMs = try reader.sharedColumn(rows, of: Int64.self, "created_at_ms")
        updatedAtMs = ChunkedArray(try reader.column(rows, of: Int64.self, "updated_at_ms"))
        kinds = ChunkedArray(try reader.column(rows, of: UInt8.self, "kind"))
        statuses = ChunkedArray(try reader.column(rows, of: UInt8.self, "status"))
        reconcileAttempts = ChunkedArray(try reader.column(rows, of: UInt8.self, "reconcile_attempts"))
        callbackCounts = ChunkedArray(try reader.column(rows, of: UInt8.self, "callback_count"))
        firstEventSeqs = ChunkedArray(try reader.column(rows, of: UInt64.self, "first_event_seq"))
        lastEventSpans = ChunkedArray(try reader.column(rows, of: UInt32.self, "last_event_span"))
        resultCodeRefs = ChunkedArray(try reader.column(rows, of: UInt32.self, "result_code_ref"))
        resultDescRefs = ChunkedArray(try reader.column(rows, of: UInt32.self, "result_desc_ref"))
        let textBytes = try reader.count("text bytes", minimumBytesEach: 1)
        let textStart = reader.position
        _ = try reader.raw(textBytes, "text records")
        arena = TextArena(sharing: reader.bytes, range: textStart..<(textStart + textBytes))
        textOffsets = ChunkedArray(try PaymentTable.recordOffsets(arena, rows: rows))
        let internedCount = try reader.count("interned texts", minimumBytesEach: 4)
        interned.reserveCapacity(internedCount)
        for _ in 0..<internedCount {
            let text = try reader.string("interned text")
            guard internedRefs[text] == nil else { throw .snapshotCorrupt("interned text repeated") }
            interned.append(text)
            internedRefs[text] = UInt32(interned.count)
        }
        if formatVersion >= 7 {
            for _ in 0..<(try reader.count("payment short codes", minimumBytesEach: 16)) {
                let id = try reader.id(ShortCodeID.self, "payment short code")
                let number = try reader.string("payment short code number")
                guard shortCodeRefsByID[id] == nil, shortCodes.count < Int(UInt16.max) else {
                    throw .snapshotCorrupt("payment short code repeated")
                }
                shortCodes.append((id, number))
                shortCodeRefsByID[id] = UInt16(shortCodes.count)
            }
            shortCodeRefs = ChunkedArray(try reader.column(rows, of: UInt16.self, "short_code_ref"))
            guard (0..<rows).allSatisfy({ Int(shortCodeRefs[$0]) <= shortCodes.count }) else {
                throw .snapshotCorrupt("a payment names a short code that is not listed")
            }
        } else {
            shortCodeRefs = ChunkedArray(Array(repeating: 0, count: rows))
        }
        try checkColumns()
        rebuildIndexes()
    }

    /// Each row's record start, walking the length bytes; the records must fill the arena exactly.
    private static func recordOffsets(_ arena: TextArena, rows: Int) throws(PesaCoreError) -> [Int] {
        var offsets = [Int]()
        offsets.reserveCapacity(rows)
        var position = 0
        let fields = Text.allCases.count
        for _ in 0..<rows {
            offsets.append(position)
            for _ in 0..<fields {
                guard position < arena.baseCount else { throw .snapshotCorrupt("text records end early") }
                guard TextField.isValidHeader(arena[position]) else {
                    throw .snapshotCorrupt("text field header \(arena[position]) is not defined")
                }
                position += 1 + TextField.bodyLength(arena[position])
            }
        }
        guard position == arena.baseCount else { throw .snapshotCorrupt("text records do not fill their bytes") }
        return offsets
    }

    /// Values that would crash a reader later are refused now.
    private func checkColumns() throws(PesaCoreError) {
        let statusCount = UInt8(PaymentStatus.allCases.count)
        let internedCount = UInt32(interned.count)
        for row in 0..<count {
            let kind = kinds[row]
            guard statuses[row] < statusCount, kind >> 6 == 0, (kind >> 2) & 3 <= 3, (kind >> 4) & 3 <= 2,
                PaymentTable.validRef(resultCodeRefs[row], internedCount),
                PaymentTable.validRef(resultDescRefs[row], internedCount)
            else { throw .snapshotCorrupt("payment row \(row) has an impossible value") }
        }
    }

    private static func validRef(_ ref: UInt32, _ internedCount: UInt32) -> Bool {
        ref == overflowRef || ref <= internedCount
    }

    /// Builds every index, each sized once for the rows it will hold (no growth, no rehash).
    mutating func rebuildIndexes() {
        var highs = [UInt64](repeating: 0, count: count)
        idHigh.forEach { row, value in highs[row] = value }
        var hashes = [UInt64](repeating: 0, count: count)
        idLow.forEach { row, low in hashes[row] = PaymentTable.idHash(high: highs[row], low: low) }
        highs = []
        var ids = RowIndex(minimumCapacity: count)
        hashes.withUnsafeBufferPointer { hashes in ids.bulkInsert(rows: hashes.count) { hashes[$0] } }
        byID = ids
        byCheckoutRequestID = buildIndex(.checkoutRequestID)
        byConversationID = buildIndex(.conversationID)
        byOriginatorConversationID = buildIndex(.originatorConversationID)
        byReceipt = buildIndex(.mpesaReceipt)
        byIdempotencyKey = buildIndex(.idempotencyKey)
        byOriginalPaymentID = buildIndex(.originalPaymentID)
        phoneKeys = buildPhoneKeys()
        pendingRows = (0..<count).filter { statuses[$0] == PaymentTable.pendingCode }.map { UInt32($0) }
        receiptPendingRows = (0..<count).filter(awaitsReceipt(at:)).map { UInt32($0) }
        rebuildDays()
    }

    /// Hashes the non-empty texts of `field` in one pass over the arena, then places them.
    private func buildIndex(_ field: Text) -> RowIndex {
        var rows: [UInt32] = []
        var hashes: [UInt64] = []
        arena.withBase { base in
            for row in 0..<count {
                let start = textOffsets[row]
                guard start < base.count else {
                    // Written since the snapshot was read.
                    let range = textRange(row, field)
                    guard range.count > 1 else { continue }
                    rows.append(UInt32(row))
                    hashes.append(PaymentTable.keyHash(arena[range], field))
                    continue
                }
                var position = start
                for _ in 0..<field.rawValue { position += 1 + TextField.bodyLength(base[position]) }
                let length = TextField.bodyLength(base[position])
                if length == 0 { continue }
                rows.append(UInt32(row))
                hashes.append(
                    PaymentTable.keyHash(UnsafeBufferPointer(rebasing: base[position...(position + length)]), field))
            }
        }
        var index = RowIndex(minimumCapacity: rows.count)
        hashes.withUnsafeBufferPointer { hashes in
            rows.withUnsafeBufferPointer { rows in
                index.bulkInsert(rows: rows.count, row: { Int(rows[$0]) }, hash: { hashes[$0] })
            }
        }
        return index
    }
}
