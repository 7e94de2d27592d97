extension PaymentTable {
    public func row(for id: PaymentID) -> Int? {
        let (high, low) = PaymentTable.words(id)
        let hash = PaymentTable.idHash(high: high, low: low)
        return byID.find(hash: hash) { idHigh[$0] == high && idLow[$0] == low }
    }

    public func row(forCheckoutRequestID text: String) -> Int? {
        find(text, .checkoutRequestID, in: byCheckoutRequestID)
    }

    /// Daraja's `ConversationID` or `OriginatorConversationID` (B2C, reversal).
    public func row(forConversationID text: String) -> Int? {
        find(text, .conversationID, in: byConversationID)
            ?? find(text, .originatorConversationID, in: byOriginatorConversationID)
    }

    public func row(forReceipt text: String) -> Int? { find(text, .mpesaReceipt, in: byReceipt) }

    /// The payment requested with this idempotency key, if any.
    public func row(forIdempotencyKey text: String) -> Int? { find(text, .idempotencyKey, in: byIdempotencyKey) }

    /// The newest reversal of `original` that is still pending (its result may yet come). One that went
    /// `unknown` (reconciliation gave up) does not block another: Daraja refuses to reverse a transaction twice
    /// (`R000001`), so a second request cannot refund twice, and without it a reversal whose failure was never
    /// heard of would keep the customer from ever being refunded through the gateway.
    public func openReversal(of original: PaymentID) -> Int? {
        find(original.rawValue, .originalPaymentID, in: byOriginalPaymentID) { row in
            type(at: row) == .reversal && status(at: row) == .pending
        }
    }

    /// Whether a reversal of `original` other than `reversal` is in one of `statuses`.
    public func hasReversal(
        of original: PaymentID, besides reversal: PaymentID, in statuses: Set<PaymentStatus>
    ) -> Bool {
        find(original.rawValue, .originalPaymentID, in: byOriginalPaymentID) { row in
            type(at: row) == .reversal && id(at: row) != reversal && statuses.contains(status(at: row))
        } != nil
    }

    /// Whether the payment at `row` has no CheckoutRequestID (an STK push whose answer from Daraja did not
    /// come, or has not come yet), and its phone: read from the columns, without building a `Payment`.
    public func awaitsCheckoutID(at row: Int) -> Bool { text(at: row, .checkoutRequestID).isEmpty }
    public func phone(at row: Int) -> String { text(at: row, .phone) }

    public subscript(id: PaymentID) -> Payment? { row(for: id).map(payment(at:)) }

    /// The newest row whose `field` is `text` and that passes `also`.
    private func find(_ text: String, _ field: Text, in index: RowIndex, also: (Int) -> Bool = { _ in true }) -> Int? {
        guard !text.isEmpty else { return nil }
        var key: [UInt8] = []
        PaymentTable.appendText(text, to: &key)
        return index.find(hash: PaymentTable.keyHash(key, field)) { row in
            arena[textRange(row, field)].elementsEqual(key) && also(row)
        }
    }

    // MARK: Column codes (the snapshot's values)

    /// The cases in code order, made once (`allCases` builds a new array at every call).
    static let statusesByCode = PaymentStatus.allCases
    static let typesByCode = PaymentType.allCases
    static let commandsByCode = B2CCommand.allCases
    static let transactionTypesByCode = TransactionType.allCases
    /// The bits of a kind code that are the payment's type.
    static let typeMask: UInt8 = 3

    static func statusCode(_ status: PaymentStatus) -> UInt8 {
        UInt8(statusesByCode.firstIndex(of: status) ?? 0)
    }

    static func status(_ code: UInt8) -> PaymentStatus { statusesByCode[Int(code)] }

    static func typeCode(_ type: PaymentType) -> UInt8 { UInt8(typesByCode.firstIndex(of: type) ?? 0) }

    static let pendingCode = statusCode(.pending)

    static func kind(_ payment: Payment) -> UInt8 {
        let type = typeCode(payment.type)
        let command = payment.command.map { UInt8((commandsByCode.firstIndex(of: $0) ?? 0) + 1) } ?? 0
        let transaction = payment.transactionType.map {
            UInt8((transactionTypesByCode.firstIndex(of: $0) ?? 0) + 1)
        } ?? 0
        return type | (command << 2) | (transaction << 4)
    }

    static func type(_ kind: UInt8) -> PaymentType { typesByCode[Int(kind & typeMask)] }

    static func command(_ kind: UInt8) -> B2CCommand? {
        let code = Int((kind >> 2) & 3)
        return code == 0 ? nil : commandsByCode[code - 1]
    }

    static func transactionType(_ kind: UInt8) -> TransactionType? {
        let code = Int((kind >> 4) & 3)
        return code == 0 ? nil : transactionTypesByCode[code - 1]
    }

    /// An id's 16 bytes as two big-endian words.
    static func words(_ id: PaymentID) -> (UInt64, UInt64) {
        guard let words = CrockfordBase32.decodeWords(id.rawValue.utf8.dropFirst(4)) else {
            preconditionFailure("a PaymentID always holds a valid body")
        }
        return words
    }

    /// A 16-byte id as two big-endian words.
    static func words(_ bytes: [UInt8]) -> (UInt64, UInt64) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 { high = (high << 8) | UInt64(bytes[index]) }
        for index in 8..<16 { low = (low << 8) | UInt64(bytes[index]) }
        return (high, low)
    }

    static func bytes(high: UInt64, low: UInt64) -> [UInt8] {
        (0..<16).map { index in
            let word = index < 8 ? high : low
            return UInt8(truncatingIfNeeded: word >> UInt64((7 - index % 8) * 8))
        }
    }
}
