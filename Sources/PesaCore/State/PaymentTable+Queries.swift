extension PaymentTable {
    /// A page of payments, newest first (GET /v1/transactions). `after` is the previous page's
    /// `nextCursor` (the last payment it showed); an unknown cursor starts from the newest.
    /// `limit` is clamped to 1...`Limits.listLimitMaxCount`.
    public func list(
        _ filter: PaymentFilter, after cursor: PaymentID? = nil, limit: Int = Limits.listLimitDefaultCount
    ) -> (payments: [Payment], nextCursor: PaymentID?) {
        let pageSize = min(max(limit, 1), Limits.listLimitMaxCount)
        let rows = candidateRowsNewestFirst(filter, below: cursor.flatMap { self.row(for: $0) } ?? count)
        let matcher = RowMatcher(filter)
        var page: [Payment] = []
        while page.count < pageSize, let row = rows.next() {
            if matches(matcher, row: row) { page.append(payment(at: row)) }
        }
        var more = false
        while !more, let row = rows.next() { more = matches(matcher, row: row) }
        return (page, more ? page.last?.id : nil)
    }

    /// The rows below `end`, newest first, that may match `filter`: only those of its receipt when it names one
    /// (a lookup), those whose phone key is its phone's when it names one, only the pending ones when it asks
    /// for pending payments (a listing of them costs what is pending, not every payment ever made).
    private func candidateRowsNewestFirst(_ filter: PaymentFilter, below end: Int) -> AnyIterator<Int> {
        if let receipt = filter.receipt {
            return AnyIterator(rows(forReceiptIgnoringCase: receipt).filter { $0 < end }.reversed().makeIterator())
        }
        if filter.phone != nil {
            return AnyIterator(phoneCandidates(RowMatcher(filter), in: 0..<end))
        }
        guard filter.status == .pending else {
            let matcher = RowMatcher(filter)
            guard matcher.statusCode != nil || matcher.typeCode != nil else {
                return AnyIterator((0..<end).reversed().makeIterator())
            }
            return AnyIterator(
                columnCandidates(statusCode: matcher.statusCode, typeCode: matcher.typeCode, in: 0..<end))
        }
        let pending = pendingRows[..<PaymentTable.position(of: end, in: pendingRows)]
        return AnyIterator(pending.reversed().lazy.map { Int($0) }.makeIterator())
    }

    /// The payments `filter` selects among the rows below `end`, newest first, looking at `scanRowsMax` rows at
    /// most, and the row the next page starts below (0 when none is left): an export walks the table in such
    /// short reads, each under the state's lock, never holding it for the whole walk.
    public func exportPage(_ filter: PaymentFilter, below end: Int, scanRowsMax: Int)
        -> (payments: [Payment], next: Int)
    {
        let end = min(end, count)
        let start = max(0, end - max(1, scanRowsMax))
        let matcher = RowMatcher(filter)
        var payments: [Payment] = []
        for row in (start..<end).reversed() where matches(matcher, row: row) { payments.append(payment(at: row)) }
        return (payments, start)
    }

    /// The rows of pending payments, oldest first.
    public var pendingRowsOldestFirst: some Sequence<Int> { pendingRows.lazy.map { Int($0) } }

    public func reconcileAttempts(at row: Int) -> Int { Int(reconcileAttempts[row]) }
}
