/// What the settlement rules ask of the table beyond one row: which payments share an id or a receipt, what
/// reversals gave back, and which successes still wait for their receipt.
extension PaymentTable {
    /// Every row whose CheckoutRequestID is `text`, oldest first (more than one is an anomaly of Daraja's).
    public func rows(forCheckoutRequestID text: String) -> [Int] {
        rows(holding: text, .checkoutRequestID, in: byCheckoutRequestID)
    }

    /// Every row whose M-Pesa receipt is `text`, oldest first (more than one breaks a settlement rule).
    public func rows(forReceipt text: String) -> [Int] { rows(holding: text, .mpesaReceipt, in: byReceipt) }

    /// Every M-Pesa receipt more than one payment holds, with its holders (oldest first): a settlement rule
    /// broken, which `pesa verify` reports. One pass over the rows, a lookup each.
    public func sharedReceipts() -> [(receipt: String, payments: [PaymentID])] {
        var shared: [(receipt: String, payments: [PaymentID])] = []
        for row in 0..<count {
            let receipt = text(at: row, .mpesaReceipt)
            guard !receipt.isEmpty else { continue }
            let holders = rows(forReceipt: receipt)
            guard holders.count > 1, holders.first == row else { continue }
            shared.append((receipt, holders.map(id(at:))))
        }
        return shared
    }

    /// What the succeeded reversals of the payment at `row` gave back; zero when none did.
    public func amountReversed(ofRow row: Int) -> Amount {
        var total: Int64 = 0
        for reversal in rows(holding: id(at: row).rawValue, .originalPaymentID, in: byOriginalPaymentID)
        where type(at: reversal) == .reversal && status(at: reversal) == .succeeded {
            total += amounts[reversal]
        }
        return Amount(minorUnits: total)
    }

    /// Whether the payment at `row` succeeded by an STK query, which names no receipt, and still waits for the
    /// receipt a transaction-status lookup (or a late callback) brings.
    public func awaitsReceipt(at row: Int) -> Bool {
        type(at: row) == .stkPush && statuses[row] == PaymentTable.statusCode(.succeeded)
            && text(at: row, .mpesaReceipt).isEmpty
    }

    /// The rows of successes that wait for their receipt, oldest first.
    public var receiptPendingRowsOldestFirst: some Sequence<Int> { receiptPendingRows.lazy.map { Int($0) } }

    /// Keeps `receiptPendingRows` in step after the status or the receipt of `row` changed.
    mutating func refreshReceiptPending(at row: Int) {
        let index = Self.position(of: row, in: receiptPendingRows)
        let listed = index < receiptPendingRows.count && receiptPendingRows[index] == UInt32(row)
        switch (awaitsReceipt(at: row), listed) {
        case (true, false): receiptPendingRows.insert(UInt32(row), at: index)
        case (false, true): receiptPendingRows.remove(at: index)
        default: break
        }
    }

    /// Where `row` is or would go in an ascending list of rows.
    static func position(of row: Int, in rows: [UInt32]) -> Int {
        var low = 0
        var high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if Int(rows[middle]) < row { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Every row of `index` whose `field` is `text` (stale entries, whose text changed since, do not count).
    private func rows(holding text: String, _ field: Text, in index: RowIndex) -> [Int] {
        guard !text.isEmpty else { return [] }
        var key: [UInt8] = []
        PaymentTable.appendText(text, to: &key)
        var found = Set<Int>()
        _ = index.find(hash: PaymentTable.keyHash(key, field)) { row in
            if arena[textRange(row, field)].elementsEqual(key) { found.insert(row) }
            return false
        }
        return found.sorted()
    }
}
