/// What is metered for billing, counted from the tenant's own state (so from its journal): exact by
/// construction, since a retried request with the same `Idempotency-Key` makes no second payment or query.
public enum UsageItem: String, Sendable, CaseIterable, Codable {
    /// STK pushes started (every request Daraja was asked for, whatever became of it).
    case stkPushes = "stk_pushes"
    /// C2B payments received on the organization's short codes.
    case c2bPayments = "c2b_payments"
    /// B2C payouts started.
    case payouts
    /// Reversals started.
    case reversals
    /// STK and C2B payments that succeeded (reversed ones included: they had succeeded), with their volume.
    case collectionsSucceeded = "collections_succeeded"
    /// Payouts that succeeded, with their volume.
    case payoutsSucceeded = "payouts_succeeded"
    /// Balance checks asked through the API (the reconciler's own queries are not billed).
    case balanceChecks = "balance_checks"
    /// Transaction-status queries asked through the API.
    case statusQueries = "status_queries"
}

/// A count and, for money, its volume.
public struct UsageCount: Sendable, Equatable {
    public var count: Int64 = 0
    public var volume = Amount(minorUnits: 0)

    public init() {}

    mutating func add(_ amount: Amount?) {
        count += 1
        if let amount { volume = Amount(minorUnits: volume.minorUnits + amount.minorUnits) }
    }
}

/// One month's usage of an organization (Kenya time), in total, by day and by short code. A payment counts in
/// the month and on the day it was started, its success too (wherever its result landed), so a month's counts
/// never change once its payments are final.
public struct MonthUsage: Sendable, Equatable {
    public let month: String
    public var apiCalls: Int64 = 0
    /// Webhook deliveries answered 2xx in the month.
    public var webhooksDelivered: Int64 = 0
    public var items: [UsageItem: UsageCount] = [:]
    /// `YYYY-MM-DD` -> counts of that day.
    public var byDay: [String: [UsageItem: UsageCount]] = [:]
    /// Short code number -> counts of payments through it (queries too).
    public var byShortCode: [String: [UsageItem: UsageCount]] = [:]
    /// The journal sequence range the counts come from: the first event of a payment counted and the last event
    /// about one (nil when none was).
    public var firstSeq: UInt64?
    public var lastSeq: UInt64?

    public init(month: String) { self.month = month }

    public func count(_ item: UsageItem) -> UsageCount { items[item] ?? UsageCount() }

    mutating func add(_ item: UsageItem, amount: Amount? = nil, atMs: Int64, shortCode: String?, seq: UInt64?) {
        items[item, default: UsageCount()].add(amount)
        byDay[KenyaTime.dayKey(ms: atMs), default: [:]][item, default: UsageCount()].add(amount)
        if let shortCode { byShortCode[shortCode, default: [:]][item, default: UsageCount()].add(amount) }
        if let seq {
            firstSeq = min(firstSeq ?? seq, seq)
            lastSeq = max(lastSeq ?? seq, seq)
        }
    }
}

extension TenantState {
    /// The usage of `month` (`YYYY-MM`, Kenya time), or nil when `month` is not such a month. Walks the payment
    /// table's columns and the queries once.
    public func usage(month: String) -> MonthUsage? {
        guard let range = KenyaTime.month(month) else { return nil }
        var usage = MonthUsage(month: month)
        usage.apiCalls = apiCallsByMonth[month] ?? 0
        usage.webhooksDelivered = webhooksDeliveredByMonth[month] ?? 0
        let table = payments
        for row in 0..<table.count {
            let createdAtMs = table.createdAtMs(at: row)
            guard createdAtMs >= range.startMs, createdAtMs < range.endMs else { continue }
            let type = table.type(at: row)
            let status = table.status(at: row)
            let shortCode = table.shortCodeNumber(at: row)
            let seq = table.firstEventSeq(at: row)
            let started: UsageItem =
                switch type {
                case .stkPush: .stkPushes
                case .c2b: .c2bPayments
                case .b2c: .payouts
                case .reversal: .reversals
                }
            usage.add(started, atMs: createdAtMs, shortCode: shortCode, seq: seq)
            usage.lastSeq = max(usage.lastSeq ?? 0, table.lastEventSeq(at: row))
            guard status == .succeeded || status == .reversed, type != .reversal else { continue }
            usage.add(
                type == .b2c ? .payoutsSucceeded : .collectionsSucceeded, amount: table.amount(at: row),
                atMs: createdAtMs, shortCode: shortCode, seq: seq)
        }
        for query in queries.values where query.reason == .api {
            guard query.createdAtMs >= range.startMs, query.createdAtMs < range.endMs else { continue }
            usage.add(
                query.kind == .balance ? .balanceChecks : .statusQueries, atMs: query.createdAtMs,
                shortCode: query.shortCode, seq: nil)
        }
        return usage
    }
}
