/// A payout batch and how many of its payouts are in each status.
public struct BatchRecord: Sendable, Equatable {
    public internal(set) var id: BatchID
    public internal(set) var command: B2CCommand
    public internal(set) var itemCount: Int64
    public internal(set) var total: Amount
    public internal(set) var createdAtMs: Int64
    public internal(set) var idempotencyKey: String?
    public internal(set) var requestHash: String?
    /// Payouts per status, indexed like `PaymentStatus.allCases`.
    var statusCounts: [Int64] = Array(repeating: 0, count: PaymentStatus.allCases.count)

    public func count(of status: PaymentStatus) -> Int64 {
        statusCounts[Int(PaymentTable.statusCode(status))]
    }

    /// Every payout requested has settled one way or another.
    public var isComplete: Bool {
        let open = count(of: .pending) + count(of: .unknown)
        return open == 0 && statusCounts.reduce(0, +) == itemCount
    }
}
