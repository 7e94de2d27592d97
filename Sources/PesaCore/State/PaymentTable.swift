/// Every payment of a tenant, in a compact columnar form (about 150 bytes per payment): fixed-width
/// columns in contiguous arrays, the texts of each row as one length-prefixed record in a byte arena,
/// Daraja's result codes and descriptions interned, and hash indexes of 4-byte slots. Rows are in
/// creation order and never removed.
public struct PaymentTable: Sendable {
    /// The texts of a row, in their stored order (the record format of the snapshot).
    enum Text: Int, CaseIterable {
        case phone, accountReference, description, merchantRequestID, checkoutRequestID, conversationID
        case originatorConversationID, mpesaReceipt, idempotencyKey, requestHash, batchID, originalPaymentID
        case reversedReceipt
        /// Used only when the interned table is full.
        case resultCodeOverflow, resultDescOverflow
    }

    /// Interned reference meaning "the text is in the row's overflow field".
    static let overflowRef = UInt32.max

    // Fixed-width columns, one element per row.
    // Never changed once appended: shared with the snapshot payload they were read from.
    var idHigh = SharedColumn<UInt64>()
    var idLow = SharedColumn<UInt64>()
    var amounts = SharedColumn<Int64>()
    var createdAtMs = SharedColumn<Int64>()
    // Changed by later events.
    // Chunked, so that a change after the state was copied for a snapshot copies one chunk, not a column.
    var updatedAtMs = ChunkedArray<Int64>()
    /// Bits 0-1 type, 2-3 B2C command (0 none), 4-5 transaction type (0 none).
    var kinds = ChunkedArray<UInt8>()
    var statuses = ChunkedArray<UInt8>()
    var reconcileAttempts = ChunkedArray<UInt8>()
    var callbackCounts = ChunkedArray<UInt8>()
    var firstEventSeqs = ChunkedArray<UInt64>()
    /// Last event seq minus the first; `UInt32.max`: unknown (too far).
    var lastEventSpans = ChunkedArray<UInt32>()
    /// 0: none; 1...n: `interned[ref - 1]`; `overflowRef`: in the row's overflow text.
    var resultCodeRefs = ChunkedArray<UInt32>()
    var resultDescRefs = ChunkedArray<UInt32>()
    /// Where each row's text record starts in `arena`.
    var textOffsets = ChunkedArray<Int>()
    /// The low 32 bits of the hash of each row's encoded phone (derived: kept by `write`, rebuilt on load), so
    /// that a phone filter compares 4 bytes a row and reads the text of the rows that match only.
    var phoneKeys = ChunkedArray<UInt32>()
    /// 0: none; 1...n: `shortCodes[ref - 1]`, the profile the payment went through. Never changed once appended.
    var shortCodeRefs = ChunkedArray<UInt16>()
    /// The profiles rows name, with their numbers (which never change), in the order first named (a few per
    /// organization).
    var shortCodes: [(id: ShortCodeID, number: String)] = []
    var shortCodeRefsByID: [ShortCodeID: UInt16] = [:]

    /// Text records; rewritten records leave garbage, emptied chunk by chunk (see `TextArena`).
    var arena = TextArena()
    var interned: [String] = []
    var internedRefs: [String: UInt32] = [:]

    var byID = RowIndex()
    var byCheckoutRequestID = RowIndex()
    var byConversationID = RowIndex()
    var byOriginatorConversationID = RowIndex()
    var byReceipt = RowIndex()
    var byIdempotencyKey = RowIndex()
    /// Reversals by the payment they reverse (several rows may share a key: a failed reversal, then another).
    var byOriginalPaymentID = RowIndex()
    /// Rows whose status is `pending`, ascending, kept with `statuses` (derived: rebuilt from that column on
    /// load), so that reconciliation looks at the pending payments only, not at every payment ever made.
    /// New payments append; a settlement removes its row (a move of the rows after it, 4 bytes each).
    var pendingRows: [UInt32] = []
    /// Rows of STK pushes that succeeded without a receipt (settled by an STK query), ascending (derived: rebuilt
    /// on load): the follow-up lookups of their receipts look at these only.
    var receiptPendingRows: [UInt32] = []
    /// Counts and volumes per Kenya day by type, status and short code (derived: rebuilt from the columns on
    /// load), so that reports over whole days do not walk the rows.
    var days = PaymentDays()

    public init() {}

    public var count: Int { idHigh.count }

    public func status(at row: Int) -> PaymentStatus { PaymentTable.status(statuses[row]) }
    public func type(at row: Int) -> PaymentType { PaymentTable.type(kinds[row]) }
    public func amount(at row: Int) -> Amount { Amount(minorUnits: amounts[row]) }
    public func createdAtMs(at row: Int) -> Int64 { createdAtMs[row] }

    public func id(at row: Int) -> PaymentID {
        PaymentID(randomBytes: PaymentTable.bytes(high: idHigh[row], low: idLow[row]))
    }

    /// Adds a new payment (its id must be new) and returns its row.
    @discardableResult
    public mutating func append(_ payment: Payment) -> Int {
        precondition(row(for: payment.id) == nil, "payment \(payment.id) already exists")
        let (high, low) = PaymentTable.words(payment.id)
        let row = count
        idHigh.append(high)
        idLow.append(low)
        amounts.append(payment.amount.minorUnits)
        createdAtMs.append(payment.createdAtMs)
        updatedAtMs.append(payment.updatedAtMs)
        kinds.append(PaymentTable.kind(payment))
        statuses.append(PaymentTable.statusCode(payment.status))
        if payment.status == .pending { pendingRows.append(UInt32(row)) }
        reconcileAttempts.append(UInt8(clamping: payment.reconcileAttempts))
        callbackCounts.append(UInt8(clamping: payment.callbackCount))
        firstEventSeqs.append(payment.firstEventSeq)
        lastEventSpans.append(PaymentTable.span(first: payment.firstEventSeq, last: payment.lastEventSeq))
        resultCodeRefs.append(0)
        resultDescRefs.append(0)
        textOffsets.append(0)
        shortCodeRefs.append(shortCodeRef(payment.shortCodeID, number: payment.shortCode))
        write(payment, at: row, isNew: true)
        refreshReceiptPending(at: row)
        days.add(row: row, createdAtMs: payment.createdAtMs, cell: dayCell(at: row), minorUnits: amounts[row])
        return row
    }

    /// The payment at `row`, with all its fields.
    public func payment(at row: Int) -> Payment {
        let texts = self.texts(at: row)
        var payment = Payment(
            id: id(at: row), type: type(at: row), status: status(at: row), amount: amount(at: row),
            phone: texts[Text.phone.rawValue], createdAtMs: createdAtMs[row])
        let nonEmpty: (Text) -> String? = { texts[$0.rawValue].isEmpty ? nil : texts[$0.rawValue] }
        payment.updatedAtMs = updatedAtMs[row]
        payment.command = PaymentTable.command(kinds[row])
        payment.transactionType = PaymentTable.transactionType(kinds[row])
        payment.accountReference = nonEmpty(.accountReference)
        payment.description = nonEmpty(.description)
        payment.merchantRequestID = nonEmpty(.merchantRequestID)
        payment.checkoutRequestID = nonEmpty(.checkoutRequestID)
        payment.conversationID = nonEmpty(.conversationID)
        payment.originatorConversationID = nonEmpty(.originatorConversationID)
        payment.mpesaReceipt = nonEmpty(.mpesaReceipt)
        payment.idempotencyKey = nonEmpty(.idempotencyKey)
        payment.requestHash = nonEmpty(.requestHash)
        payment.batchID = nonEmpty(.batchID)
        payment.originalPaymentID = nonEmpty(.originalPaymentID)
        payment.reversedReceipt = nonEmpty(.reversedReceipt)
        let ref = Int(shortCodeRefs[row])
        if ref > 0 { (payment.shortCodeID, payment.shortCode) = shortCodes[ref - 1] }
        let code = resolve(resultCodeRefs[row], overflow: texts[Text.resultCodeOverflow.rawValue])
        payment.resultCode = code.isEmpty ? nil : ResultCode(code)
        let desc = resolve(resultDescRefs[row], overflow: texts[Text.resultDescOverflow.rawValue])
        payment.resultDesc = desc.isEmpty ? nil : desc
        payment.reconcileAttempts = Int(reconcileAttempts[row])
        payment.callbackCount = Int(callbackCounts[row])
        payment.firstEventSeq = firstEventSeqs[row]
        payment.lastEventSeq = lastEventSpans[row] == .max ? nil : firstEventSeqs[row] + UInt64(lastEventSpans[row])
        switch (payment.type, payment.status) {
        case (.reversal, .succeeded): payment.amountReversed = payment.amount
        case (.stkPush, .reversed), (.c2b, .reversed): payment.amountReversed = amountReversed(ofRow: row)
        default: break
        }
        return payment
    }

    /// Changes the payment at `row` (its id, type, amount and creation time stay).
    public mutating func update(at row: Int, _ change: (inout Payment) -> Void) {
        var payment = self.payment(at: row)
        let id = payment.id
        change(&payment)
        precondition(payment.id == id, "a payment's id never changes")
        precondition(payment.amount.minorUnits == amounts[row], "a payment's amount never changes")
        precondition(payment.createdAtMs == createdAtMs[row], "a payment's creation time never changes")
        updatedAtMs[row] = payment.updatedAtMs
        kinds[row] = PaymentTable.kind(payment)
        setStatusCode(PaymentTable.statusCode(payment.status), at: row)
        reconcileAttempts[row] = UInt8(clamping: payment.reconcileAttempts)
        callbackCounts[row] = UInt8(clamping: payment.callbackCount)
        firstEventSeqs[row] = payment.firstEventSeq
        lastEventSpans[row] = PaymentTable.span(first: payment.firstEventSeq, last: payment.lastEventSeq)
        write(payment, at: row, isNew: false)
        refreshReceiptPending(at: row)
    }

    /// Payments of a profile that still need it: pending ones, and successes whose receipt is still being
    /// looked up (a profile with money still moving cannot be deleted).
    public func pendingCount(shortCodeID id: ShortCodeID) -> Int {
        guard let ref = shortCodeRefsByID[id] else { return 0 }
        return (pendingRows + receiptPendingRows).reduce(0) { $0 + (shortCodeRefs[Int($1)] == ref ? 1 : 0) }
    }

    /// The journal position of the event that created the payment at `row`.
    public func firstEventSeq(at row: Int) -> UInt64 { firstEventSeqs[row] }

    /// The journal position of the last event about the payment at `row` (its first, when too far to be kept).
    public func lastEventSeq(at row: Int) -> UInt64 {
        lastEventSpans[row] == .max ? firstEventSeqs[row] : firstEventSeqs[row] + UInt64(lastEventSpans[row])
    }

    /// The short code number the payment at `row` went through.
    public func shortCodeNumber(at row: Int) -> String? {
        let ref = Int(shortCodeRefs[row])
        return ref == 0 ? nil : shortCodes[ref - 1].number
    }

    /// The profile the payment at `row` went through.
    public func shortCodeID(at row: Int) -> ShortCodeID? {
        let ref = shortCodeRefs[row]
        return ref == 0 ? nil : shortCodes[Int(ref) - 1].id
    }

    private mutating func shortCodeRef(_ id: ShortCodeID?, number: String?) -> UInt16 {
        guard let id else { return 0 }
        if let ref = shortCodeRefsByID[id] { return ref }
        precondition(shortCodes.count < Int(UInt16.max), "short codes are bounded by Limits.shortCodesCountMax")
        shortCodes.append((id, number ?? ""))
        let ref = UInt16(shortCodes.count)
        shortCodeRefsByID[id] = ref
        return ref
    }

    /// Gives every row that names no profile the one `profile(type)` returns, a reversal its original's (a
    /// snapshot written before profiles existed; a replay of its journal does the same).
    mutating func assignShortCodes(_ profile: (PaymentType) -> (id: ShortCodeID, number: String)?) {
        for row in 0..<count where shortCodeRefs[row] == 0 {
            if type(at: row) == .reversal,
                let original = payment(at: row).originalPaymentID.flatMap({ try? PaymentID(parsing: $0) }),
                let originalRow = self.row(for: original), shortCodeRefs[originalRow] != 0
            {
                shortCodeRefs[row] = shortCodeRefs[originalRow]
            } else {
                let chosen = profile(type(at: row))
                shortCodeRefs[row] = shortCodeRef(chosen?.id, number: chosen?.number)
            }
        }
        rebuildDays()
    }

    static func span(first: UInt64, last: UInt64?) -> UInt32 {
        guard let last, last >= first, last - first < UInt64(UInt32.max) else { return .max }
        return UInt32(last - first)
    }

    /// An event at `seq` concerns the payment at `row` (its timeline now reaches `seq`).
    mutating func touch(at row: Int, seq: UInt64) {
        let first = firstEventSeqs[row]
        let span = PaymentTable.span(first: first, last: seq)
        if lastEventSpans[row] != .max, span != .max, span < lastEventSpans[row] { return }
        lastEventSpans[row] = span
    }

    private func resolve(_ ref: UInt32, overflow: String) -> String {
        switch ref {
        case 0: ""
        case PaymentTable.overflowRef: overflow
        default: interned[Int(ref) - 1]
        }
    }
}
