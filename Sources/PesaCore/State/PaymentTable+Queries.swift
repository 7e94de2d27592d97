extension PaymentTable {
    func matches(_ filter: PaymentFilter, row: Int) -> Bool {
        if let status = filter.status, statuses[row] != PaymentTable.statusCode(status) { return false }
        if let type = filter.type, PaymentTable.type(kinds[row]) != type { return false }
        if let from = filter.fromMs, createdAtMs[row] < from { return false }
        if let to = filter.toMs, createdAtMs[row] >= to { return false }
        return true
    }

    /// A page of payments, newest first (GET /v1/transactions). `after` is the previous page's
    /// `nextCursor` (the last payment it showed); an unknown cursor starts from the newest.
    /// `limit` is clamped to 1...`Limits.listLimitMaxCount`.
    public func list(
        _ filter: PaymentFilter, after cursor: PaymentID? = nil, limit: Int = Limits.listLimitDefaultCount
    ) -> (payments: [Payment], nextCursor: PaymentID?) {
        let pageSize = min(max(limit, 1), Limits.listLimitMaxCount)
        var row = (cursor.flatMap { self.row(for: $0) } ?? count) - 1
        var page: [Payment] = []
        while row >= 0, page.count < pageSize {
            if matches(filter, row: row) { page.append(payment(at: row)) }
            row -= 1
        }
        var more = false
        while row >= 0, !more {
            more = matches(filter, row: row)
            row -= 1
        }
        return (page, more ? page.last?.id : nil)
    }

    /// The rows of pending payments, oldest first.
    public var pendingRowsOldestFirst: some Sequence<Int> { pendingRows.lazy.map { Int($0) } }

    public func reconcileAttempts(at row: Int) -> Int { Int(reconcileAttempts[row]) }
}
