extension PaymentTable {
    /// Writes a row's texts (a new record in the arena), interned references and index entries.
    mutating func write(_ payment: Payment, at row: Int, isNew: Bool) {
        var texts = [String](repeating: "", count: Text.allCases.count)
        texts[Text.phone.rawValue] = payment.phone
        texts[Text.accountReference.rawValue] = payment.accountReference ?? ""
        texts[Text.description.rawValue] = payment.description ?? ""
        texts[Text.merchantRequestID.rawValue] = payment.merchantRequestID ?? ""
        texts[Text.checkoutRequestID.rawValue] = payment.checkoutRequestID ?? ""
        texts[Text.conversationID.rawValue] = payment.conversationID ?? ""
        texts[Text.originatorConversationID.rawValue] = payment.originatorConversationID ?? ""
        texts[Text.mpesaReceipt.rawValue] = payment.mpesaReceipt ?? ""
        texts[Text.idempotencyKey.rawValue] = payment.idempotencyKey ?? ""
        texts[Text.requestHash.rawValue] = payment.requestHash ?? ""
        texts[Text.batchID.rawValue] = payment.batchID ?? ""
        texts[Text.originalPaymentID.rawValue] = payment.originalPaymentID ?? ""
        texts[Text.reversedReceipt.rawValue] = payment.reversedReceipt ?? ""
        let code = payment.resultCode?.rawValue ?? ""
        resultCodeRefs[row] = intern(code, overflow: &texts[Text.resultCodeOverflow.rawValue])
        resultDescRefs[row] = intern(payment.resultDesc ?? "", overflow: &texts[Text.resultDescOverflow.rawValue])
        let old = isNew ? nil : self.texts(at: row)
        var record: [UInt8] = []
        for text in texts { PaymentTable.appendText(text, to: &record) }
        replaceRecord(at: row, with: record, isNew: isNew)
        let phoneKey = UInt32(truncatingIfNeeded: textHash(row, .phone))
        if isNew { phoneKeys.append(phoneKey) } else { phoneKeys[row] = phoneKey }
        indexNewKeys(row: row, texts: texts, old: old, isNew: isNew)
    }

    /// Makes `record` the row's text record (the old one becomes garbage), then empties at most two
    /// chunks that are mostly garbage: the work per write stays bounded, and as a write makes at most one
    /// chunk a candidate (plus one per chunk closed), candidates never pile up.
    mutating func replaceRecord(at row: Int, with record: [UInt8], isNew: Bool) {
        let oldStart = textOffsets[row]
        let oldLength = isNew ? 0 : recordLength(at: oldStart)
        textOffsets[row] = arena.append(record, row: row)
        if !isNew { arena.release(at: oldStart, length: oldLength) }
        compactOneChunk()
        compactOneChunk()
    }

    /// Moves the live records of one mostly-garbage chunk to the newest chunk and frees it.
    mutating func compactOneChunk() {
        guard let (chunk, rows) = arena.takeCompactable() else { return }
        for row in rows.map(Int.init) where arena.isIn(chunk: chunk, position: textOffsets[row]) {
            let start = textOffsets[row]
            let length = recordLength(at: start)
            textOffsets[row] = arena.append(Array(arena[start..<(start + length)]), row: row)
            arena.release(at: start, length: length)
        }
        arena.free(chunk: chunk)
    }

    private mutating func indexNewKeys(row: Int, texts: [String], old: [String]?, isNew: Bool) {
        if isNew {
            var index = takeIndex(\.byID)
            index.insert(row: row, hash: idHash(row), hashOf: idHash)
            byID = index
        }
        let indexed: [(Text, WritableKeyPath<PaymentTable, RowIndex>)] = [
            (.checkoutRequestID, \.byCheckoutRequestID), (.conversationID, \.byConversationID),
            (.originatorConversationID, \.byOriginatorConversationID), (.mpesaReceipt, \.byReceipt),
            (.idempotencyKey, \.byIdempotencyKey), (.originalPaymentID, \.byOriginalPaymentID),
        ]
        for (field, path) in indexed {
            let text = texts[field.rawValue]
            guard !text.isEmpty, old?[field.rawValue] != text else { continue }
            var index = takeIndex(path)
            index.insert(row: row, hash: textHash(row, field)) { textHash($0, field) }
            self[keyPath: path] = index
        }
    }

    /// Moves an index out of the table, so that inserting into it copies nothing.
    mutating func takeIndex(_ path: WritableKeyPath<PaymentTable, RowIndex>) -> RowIndex {
        let index = self[keyPath: path]
        self[keyPath: path] = RowIndex.placeholder
        return index
    }

    /// Interns `text` when there is room; otherwise keeps it in the row's overflow field.
    mutating func intern(_ text: String, overflow: inout String) -> UInt32 {
        overflow = ""
        if text.isEmpty { return 0 }
        let bounded = PaymentTable.truncated(text)
        if let ref = internedRefs[bounded] { return ref }
        guard interned.count < Limits.internedTextCountMax else {
            overflow = bounded
            return PaymentTable.overflowRef
        }
        interned.append(bounded)
        let ref = UInt32(interned.count)
        internedRefs[bounded] = ref
        return ref
    }

    // MARK: Text records: for each `Text` field in order, one header byte and its body (see `TextField`).

    /// All texts of a row, in `Text` order.
    func texts(at row: Int) -> [String] {
        var position = textOffsets[row]
        var result: [String] = []
        result.reserveCapacity(Text.allCases.count)
        for _ in Text.allCases {
            let header = arena[position]
            let length = TextField.bodyLength(header)
            result.append(TextField.decode(header: header, body: arena[(position + 1)..<(position + 1 + length)]))
            position += 1 + length
        }
        return result
    }

    /// One text of a row.
    func text(at row: Int, _ field: Text) -> String {
        let range = textRange(row, field)
        return TextField.decode(header: arena[range.lowerBound], body: arena[(range.lowerBound + 1)..<range.upperBound])
    }

    /// Where one encoded field (header byte and body) of a row lies in the arena.
    func textRange(_ row: Int, _ field: Text) -> Range<Int> {
        var position = textOffsets[row]
        for _ in 0..<field.rawValue { position += 1 + TextField.bodyLength(arena[position]) }
        return position..<(position + 1 + TextField.bodyLength(arena[position]))
    }

    func recordLength(at offset: Int) -> Int {
        var position = offset
        for _ in Text.allCases { position += 1 + TextField.bodyLength(arena[position]) }
        return position - offset
    }

    static func appendText(_ text: String, to bytes: inout [UInt8]) {
        TextField.encode(truncated(text), into: &bytes)
    }

    /// At most `Limits.paymentTextBytesMax` UTF-8 bytes, cut at a character boundary (deterministic).
    static func truncated(_ text: String) -> String {
        guard text.utf8.count > Limits.paymentTextBytesMax else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if result.utf8.count + String(scalar).utf8.count > Limits.paymentTextBytesMax { break }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    // MARK: Hashes of row keys

    func idHash(_ row: Int) -> UInt64 { PaymentTable.idHash(high: idHigh[row], low: idLow[row]) }

    static func idHash(high: UInt64, low: UInt64) -> UInt64 { RowIndex.mix(high ^ (low &* 0x9E37_79B9_7F4A_7C15)) }

    /// Hash of the encoded field (header and body), as `find` hashes an encoded key.
    func textHash(_ row: Int, _ field: Text) -> UInt64 { PaymentTable.keyHash(arena[textRange(row, field)], field) }
}
