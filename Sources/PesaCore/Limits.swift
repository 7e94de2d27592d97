/// Every limit of the product, in one place, with the unit in the name (STYLE.md rule 13).
public enum Limits {
    // MARK: Storage
    /// A journal line (one event, with its envelope) may not be larger than this.
    public static let journalLineBytesMax = 64 * 1024
    /// A journal segment rolls over once it reaches this size.
    public static let segmentBytesMax = 16 * 1024 * 1024
    /// Events appended after the newest snapshot before an automatic snapshot is taken.
    public static let snapshotTailEventsMax: UInt64 = 50_000
    /// Most events one group commit writes with a single fsync.
    public static let groupCommitEventsMax = 4096
    /// Snapshots kept per tenant (older ones are removed once a newer one is durable).
    public static let snapshotsKeptCount = 3
    /// Archived segments and replaced snapshots are deleted only this long after they were superseded,
    /// so that a copy of a tenant folder taken meanwhile still finds every piece it listed.
    public static let supersededFileGraceMs: Int64 = 10 * 60 * 1000
    /// Largest credentials vault file.
    public static let credentialsBytesMax = 64 * 1024
    /// Largest snapshot payload (uncompressed) the store will read.
    public static let snapshotPayloadBytesMax = 2 * 1024 * 1024 * 1024

    // MARK: HTTP
    public static let requestBodyBytesMax = 64 * 1024

    // MARK: Money (Daraja takes whole shillings; 1 KES = 100 minor units)
    public static let minorUnitsPerShillingCount: Int64 = 100
    /// Smallest and largest STK push (Lipa na M-Pesa online) amount.
    public static let stkAmountShillingsMin: Int64 = 1
    public static let stkAmountShillingsMax: Int64 = 250_000
    /// Smallest and largest B2C payout amount.
    public static let b2cAmountShillingsMin: Int64 = 10
    public static let b2cAmountShillingsMax: Int64 = 250_000
    /// Reversals follow the range of the payment they reverse.
    public static let reversalAmountShillingsMin: Int64 = 1
    public static let reversalAmountShillingsMax: Int64 = 250_000

    // MARK: Payment fields
    /// Daraja's `AccountReference` (STK push).
    public static let accountReferenceCharactersMax = 12
    /// Daraja's `TransactionDesc` (STK push).
    public static let descriptionCharactersMax = 13
    /// B2C / reversal `Remarks` and `Occasion`.
    public static let remarksCharactersMax = 100
    /// Any text kept on a payment row in memory (ids from Daraja, receipt, references); longer is cut.
    public static let paymentTextBytesMax = 239
    /// Distinct result codes / result descriptions kept once each (interned); more are kept per payment.
    public static let internedTextCountMax = 4096
    /// Items of one payout batch.
    public static let batchItemsCountMax = 10_000

    // MARK: Ids and names
    /// Random bytes behind every prefixed id (26 Crockford base32 characters).
    public static let idRandomBytesCount = 16
    public static let orgSlugCharactersMin = 2
    public static let orgSlugCharactersMax = 40
    public static let orgNameCharactersMax = 200
    public static let emailCharactersMax = 254
    public static let idempotencyKeyCharactersMax = 255

    // MARK: Idempotency and reconciliation
    /// A stored idempotent answer is replayed for this long after the first request.
    public static let idempotencyWindowMs: Int64 = 24 * 60 * 60 * 1000
    /// Reconciliation queries for one payment before it becomes `unknown`.
    public static let reconcileAttemptsMax = 8

    // MARK: Lists and reports
    /// `?limit=` of list routes: default and largest.
    public static let listLimitDefaultCount = 50
    public static let listLimitMaxCount = 500
    /// Kenya time (UTC+3, no daylight saving): the day boundary of reports.
    public static let kenyaUTCOffsetMs: Int64 = 3 * 60 * 60 * 1000

    // MARK: Rate limits
    /// Largest rate limit (requests per minute) a plan or an override may set.
    public static let rateLimitPerMinuteMax: Int64 = 1_000_000
    /// Largest token bucket capacity (burst).
    public static let tokenBucketCapacityMax: Int64 = 1_000_000

    // MARK: Callbacks
    /// STK results kept in memory while their payment's CheckoutRequestID is not journaled yet.
    public static let earlyCallbackCountMax = 10_000
    /// Largest Daraja callback body accepted.
    public static let callbackBodyBytesMax = 64 * 1024
}
