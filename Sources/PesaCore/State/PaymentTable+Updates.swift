/// Targeted changes for the reducer's frequent events: they touch only the columns and texts that
/// change, rewriting a row's text record at the byte level (no `Payment` is materialized).
extension PaymentTable {
    /// A settlement: status, result, optionally the receipt, and `updated_at`.
    mutating func settle(
        at row: Int, status: PaymentStatus, resultCode: ResultCode?, resultDesc: String?, mpesaReceipt: String?,
        updatedAtMs: Int64
    ) {
        setStatusCode(PaymentTable.statusCode(status), at: row)
        self.updatedAtMs[row] = updatedAtMs
        var codeOverflow = ""
        var descOverflow = ""
        resultCodeRefs[row] = intern(resultCode?.rawValue ?? "", overflow: &codeOverflow)
        resultDescRefs[row] = intern(resultDesc ?? "", overflow: &descOverflow)
        var changes: [(Text, String)] = [(.resultCodeOverflow, codeOverflow), (.resultDescOverflow, descOverflow)]
        if let mpesaReceipt { changes.append((.mpesaReceipt, mpesaReceipt)) }
        replaceTexts(at: row, changes)
    }

    /// Only the status and `updated_at` (e.g. `reversed`).
    mutating func setStatus(at row: Int, _ status: PaymentStatus, updatedAtMs: Int64) {
        setStatusCode(PaymentTable.statusCode(status), at: row)
        self.updatedAtMs[row] = updatedAtMs
    }

    /// Daraja's ids from its acknowledgement; nil leaves a text as it is.
    mutating func setUpstreamIDs(
        at row: Int, merchantRequestID: String?, checkoutRequestID: String?, conversationID: String?,
        originatorConversationID: String?, updatedAtMs: Int64
    ) {
        var changes: [(Text, String)] = []
        if let merchantRequestID { changes.append((.merchantRequestID, merchantRequestID)) }
        if let checkoutRequestID { changes.append((.checkoutRequestID, checkoutRequestID)) }
        if let conversationID { changes.append((.conversationID, conversationID)) }
        if let originatorConversationID { changes.append((.originatorConversationID, originatorConversationID)) }
        replaceTexts(at: row, changes)
        self.updatedAtMs[row] = updatedAtMs
    }

    /// The only way a row's status changes after it is appended: keeps `pendingRows` and `days` in step.
    mutating func setStatusCode(_ code: UInt8, at row: Int) {
        let wasPending = statuses[row] == PaymentTable.pendingCode
        let oldCell = dayCell(at: row)
        statuses[row] = code
        days.move(createdAtMs: createdAtMs[row], from: oldCell, to: dayCell(at: row), minorUnits: amounts[row])
        refreshReceiptPending(at: row)
        let isPending = code == PaymentTable.pendingCode
        guard wasPending != isPending else { return }
        let index = PaymentTable.position(of: row, in: pendingRows)
        if isPending {
            pendingRows.insert(UInt32(row), at: index)
        } else if index < pendingRows.count, pendingRows[index] == UInt32(row) {
            pendingRows.remove(at: index)
        }
    }

    mutating func recordCallback(at row: Int) {
        callbackCounts[row] = callbackCounts[row] == .max ? .max : callbackCounts[row] + 1
    }

    mutating func recordReconcileAttempt(at row: Int, attempt: Int64) {
        reconcileAttempts[row] = max(reconcileAttempts[row], UInt8(clamping: attempt))
    }

    /// Rewrites the row's text record with some fields replaced; unchanged records are left alone.
    mutating func replaceTexts(at row: Int, _ changes: [(Text, String)]) {
        let start = textOffsets[row]
        var record: [UInt8] = []
        record.reserveCapacity(recordLength(at: start) + 64)
        var changed: [Text] = []
        var position = start
        for field in Text.allCases {
            let length = 1 + TextField.bodyLength(arena[position])
            let old = arena[position..<(position + length)]
            if let text = changes.last(where: { $0.0 == field })?.1 {
                let before = record.count
                PaymentTable.appendText(text, to: &record)
                if !record[before...].elementsEqual(old) { changed.append(field) }
            } else {
                record.append(contentsOf: old)
            }
            position += length
        }
        guard !changed.isEmpty else { return }
        replaceRecord(at: row, with: record, isNew: false)
        for field in changed { indexText(row: row, field: field) }
        if changed.contains(.mpesaReceipt) { refreshReceiptPending(at: row) }
    }

    private mutating func indexText(row: Int, field: Text) {
        let path: WritableKeyPath<PaymentTable, RowIndex>
        switch field {
        case .checkoutRequestID: path = \.byCheckoutRequestID
        case .conversationID: path = \.byConversationID
        case .originatorConversationID: path = \.byOriginatorConversationID
        case .mpesaReceipt: path = \.byReceipt
        case .idempotencyKey: path = \.byIdempotencyKey
        case .originalPaymentID: path = \.byOriginalPaymentID
        default: return
        }
        guard TextField.bodyLength(arena[textRange(row, field).lowerBound]) > 0 else { return }
        var index = takeIndex(path)
        index.insert(row: row, hash: textHash(row, field)) { textHash($0, field) }
        self[keyPath: path] = index
    }
}
