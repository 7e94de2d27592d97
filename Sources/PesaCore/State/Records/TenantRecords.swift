/// A stored first answer to a creating POST (payments keep theirs on the payment row).
public struct IdempotencyRecord: Sendable, Equatable {
    public internal(set) var key: String
    public internal(set) var requestHash: String
    public internal(set) var scope: String
    public internal(set) var resourceID: String?
    public internal(set) var statusCode: Int64
    public internal(set) var responseBody: String
    public internal(set) var atMs: Int64

    /// Still replayed at `nowMs` (within `Limits.idempotencyWindowMs` of the first answer).
    public func isLive(nowMs: Int64) -> Bool { nowMs - atMs < Limits.idempotencyWindowMs }
}

/// The last known balance of one account.
public struct BalanceRecord: Sendable, Equatable {
    public internal(set) var account: String
    public internal(set) var currency: String
    public internal(set) var current: Amount
    public internal(set) var available: Amount
    public internal(set) var reserved: Amount
    public internal(set) var uncleared: Amount
    public internal(set) var asOfMs: Int64
}

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

/// Tallies the reducer keeps (the journal has the details).
public struct TenantCounters: Sendable, Equatable {
    public internal(set) var auditEntries: Int64 = 0
    public internal(set) var callbacks: Int64 = 0
    public internal(set) var orphanCallbacks: Int64 = 0
    public internal(set) var malformedCallbacks: Int64 = 0
    /// Results for a payment already final: recorded, changed nothing.
    public internal(set) var lateResults: Int64 = 0
    /// Results repeating the payment's current status.
    public internal(set) var duplicateResults: Int64 = 0

    static let fieldCount = 6
}

/// A webhook endpoint of the organization (its secret is in the vault).
public struct WebhookEndpointRecord: Sendable, Equatable {
    public internal(set) var id: WebhookEndpointID
    public internal(set) var url: String
    public internal(set) var events: [String]
    public internal(set) var secretHint: String
    /// While rotating: the previous secret is still valid until then.
    public internal(set) var previousSecretValidUntilMs: Int64?
    public internal(set) var createdAtMs: Int64
    public internal(set) var updatedAtMs: Int64

    /// Whether the endpoint receives events of `type`.
    public func subscribes(to type: String) -> Bool { events.isEmpty || events.contains(type) }
}
