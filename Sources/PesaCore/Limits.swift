/// Every limit of the product, in one place, with the unit in the name. A new limit goes here.
public enum Limits {
    // MARK: Storage
    /// A journal line (one event, with its envelope and its `\n`) may not be larger than this.
    public static let journalLineBytesMax = 64 * 1024
    /// A write batch that would take the live journal segment past this size starts a new segment.
    public static let segmentBytesMax = 16 * 1024 * 1024
    /// Objects and arrays nest at most this deep in a journal line's `data` (the object itself is depth 1).
    public static let journalDataDepthMax = 16
    /// Events appended after the newest snapshot before an automatic snapshot is taken.
    public static let snapshotTailEventsMax: UInt64 = 50_000
    /// Most events one group commit writes with a single fsync.
    public static let groupCommitEventsMax = 4096
    /// Most bytes of journal lines a tenant engine decides into one write (the commands queued behind stay for
    /// the next): a segment outgrows `segmentBytesMax` by at most this plus one line, so an archived segment
    /// always decompresses within `archivedSegmentBytesMax`.
    public static let commitBatchBytesMax = 4 * 1024 * 1024
    /// Largest archived segment a reader decompresses: the most any write could have left in one segment
    /// (`segmentBytesMax` plus a write of `groupCommitEventsMax` full lines, as before `commitBatchBytesMax`).
    public static let archivedSegmentBytesMax = segmentBytesMax + groupCommitEventsMax * journalLineBytesMax
    /// Snapshots kept per tenant (older ones are removed once a newer one is durable).
    public static let snapshotsKeptCount = 3
    /// Archived segments and replaced snapshots are deleted only this long after they were superseded,
    /// so that a copy of a tenant folder taken meanwhile still finds every piece it listed.
    public static let supersededFileGraceMs: Int64 = 10 * 60 * 1000
    /// Largest credentials vault file.
    public static let credentialsBytesMax = 64 * 1024
    /// Short-code profiles an organization may hold, deleted ones included (each keeps up to two secret
    /// versions in the vault, which must stay under `credentialsBytesMax`).
    public static let shortCodesCountMax = 50
    /// API calls counted in memory are journaled at least this often (and at shutdown): a crash loses at most
    /// this window's calls.
    public static let apiCallFlushEveryMs: Int64 = 10_000
    public static let planNameCharactersMax = 40
    /// A plan's fee or unit price: at most 10,000,000 KES, in cents.
    public static let planAmountMinorUnitsMax: Int64 = 1_000_000_000
    public static let plansCountMax = 200
    /// A subscription change's or an invoice's void reason, and a manual payment's reference.
    public static let billingReasonCharactersMax = 500
    /// The billing clock looks for due steps (trial ends, month ends, due dates, graces) this often.
    public static let billingTickEveryMs: Int64 = 60_000
    /// Between ticks that look at every organization; the others look only at the organizations in memory, so
    /// that the billing clock does not keep idle tenants loaded. A step due for an idle tenant waits at most this.
    public static let billingFullPassEveryMs: Int64 = 3_600_000
    public static let shortCodeLabelCharactersMax = 100
    /// Largest snapshot payload (uncompressed) the store will read.
    public static let snapshotPayloadBytesMax = 2 * 1024 * 1024 * 1024

    // MARK: HTTP
    public static let requestBodyBytesMax = 64 * 1024
    /// One request header line (name and value); a longer one is answered 431.
    public static let requestHeaderFieldBytesMax = 16 * 1024
    /// All header lines of one request together; more is answered 431.
    public static let requestHeadersBytesMax = 64 * 1024
    /// Header lines of one request; more is answered 431.
    public static let requestHeaderFieldsCountMax = 256

    // MARK: Connections (`pesa serve` options; one client must not hold every socket)
    /// A keep-alive connection with no request in progress is closed after this long.
    public static let connectionIdleSecondsDefault: Int64 = 60
    /// A request whose head (request line and headers) is not complete this long after its first byte is
    /// answered 408 and its connection closed.
    public static let requestHeadSecondsDefault: Int64 = 10
    /// A request whose body receives no byte for this long is answered 408 and its connection closed.
    public static let requestBodyStallSecondsDefault: Int64 = 10
    /// Longest any of the three timeouts above may be set to.
    public static let connectionTimeoutSecondsMax: Int64 = 3600
    /// By default open connections may hold the open-file limit divided by this; the rest is kept for
    /// journals, snapshots and outbound Daraja calls.
    public static let connectionsOpenFilesDivisor = 2
    /// By default one client address may hold the connection cap divided by this.
    public static let connectionsPerAddressDivisor = 8
    /// The open-file limit assumed when the process has none (`RLIM_INFINITY`).
    public static let openFilesAssumedMax = 1_048_576
    /// Refused connections are logged at most once per this interval, with their count.
    public static let refusedConnectionsWarningSeconds: Int64 = 10

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
    /// B2C / reversal `Remarks` (Daraja: 2 to 100, required) and `Occasion` (at most 100).
    public static let remarksCharactersMin = 2
    public static let remarksCharactersMax = 100
    /// Any text kept on a payment row in memory (ids from Daraja, receipt, references); longer is cut.
    public static let paymentTextBytesMax = 239
    /// Distinct result codes / result descriptions kept once each (interned); more are kept per payment.
    public static let internedTextCountMax = 4096
    /// Events an organization keeps in memory for `GET /v1/events` and its deliveries (older ones, every delivery
    /// of which is over, stay only in the journal).
    public static let webhookEventsKeptMax = 100_000
    /// Attempts kept per delivery (the most recent).
    public static let webhookAttemptsKeptMax = 20
    /// Webhook endpoints per organization.
    public static let webhookEndpointsCountMax = 20
    /// An endpoint whose every attempt failed for this long is disabled.
    public static let webhookFailingDisableMs: Int64 = 5 * 24 * 3_600_000
    /// After a rotation, the previous secret still signs for this long.
    public static let webhookSecretOverlapMs: Int64 = 24 * 3_600_000
    /// Items of one payout batch.
    public static let batchItemsCountMax = 10_000
    /// Rows of a batch per `batch.items_added` line, so that a line stays well under `journalLineBytesMax`
    /// (a row is at most about 300 bytes of JSON).
    public static let batchItemsPerEventMax = 100
    /// Body of `POST /v1/payout-batches`: 10,000 rows of a CSV or JSON with long references and names.
    public static let batchBodyBytesMax = 4 * 1024 * 1024
    /// Characters of a batch row's `reference` (sent as the payout's remarks) and `name` (kept, not sent).
    public static let batchNameCharactersMax = 100
    /// Digits of the number in a batch id, at least (zero-padded).
    public static let batchSequenceDigitsMin = 6
    /// A batch awaiting approval that no org_admin approves within this time is `expired`, nothing sent.
    public static let batchApprovalWindowMs: Int64 = 24 * 60 * 60 * 1000
    /// Rows the batch sender has in flight (sent, acknowledgement not yet back) at once, whatever the pace.
    public static let batchSendsInFlightMax = 64
    /// Default and ceiling of `pesa serve --batch-rows-per-second` (Daraja's pace for one gateway).
    public static let batchRowsPerSecondDefault = 20
    public static let batchRowsPerSecondMax = 1000
    /// Account references an organization's C2B validation accepts.
    public static let c2bAccountReferencesCountMax = 10_000
    /// Characters of one of them (after trimming).
    public static let c2bAccountReferenceCharactersMax = 100
    /// A `PUT /v1/c2b/validation` body: the longest list there may be, each reference's characters in UTF-8 (at
    /// most 4 bytes each) with its quotes and comma, and room for the rest.
    public static let c2bValidationBodyBytesMax =
        c2bAccountReferencesCountMax * (4 * c2bAccountReferenceCharactersMax + 4) + requestBodyBytesMax
    /// JSON bytes of account references per journal line: a longer list is written in parts, in one commit.
    public static let c2bValidationPartBytesMax = 60_000

    // MARK: Ids and names
    /// Random bytes behind every prefixed id (26 Crockford base32 characters).
    public static let idRandomBytesCount = 16
    public static let orgSlugCharactersMin = 2
    public static let orgSlugCharactersMax = 40
    public static let orgNameCharactersMax = 200
    public static let emailCharactersMax = 254
    /// At most what a payment row keeps whole (`paymentTextBytesMax`): a longer key would be cut there, and
    /// two keys differing only past the cut would be one key (the second request answered as a replay of the
    /// first, its payment never made).
    public static let idempotencyKeyCharactersMax = 200

    // MARK: Idempotency and reconciliation
    /// How long a push whose answer from Daraja was lost stays pending for its callback before it becomes
    /// `unknown`: past the STK prompt's life (about 2 to 3 minutes), with room for a late callback.
    public static let lostPushAnswerWaitMs: Int64 = 10 * 60 * 1000
    /// A stored idempotent answer is replayed for this long after the first request.
    public static let idempotencyWindowMs: Int64 = 24 * 60 * 60 * 1000
    /// Answers past `idempotencyWindowMs` are dropped from the state at the first event of each such period
    /// (UTC hours), not at each new answer: filtering at each one rebuilt the whole dictionary per answer,
    /// quadratic in the answers of a day, under the tenant's lock and in every replay.
    public static let idempotencyPruneEveryMs: Int64 = 60 * 60 * 1000
    /// Reconciliation queries for one payment before it becomes `unknown`.
    public static let reconcileAttemptsMax = 8
    /// Transaction-status lookups of the receipt of a success settled by STK query (which names none), beyond
    /// the payment's reconciliation queries, before the gateway stops asking (the payment keeps
    /// `receipt_pending`; a late callback or a person's query can still bring the receipt).
    public static let receiptLookupAttemptsMax = 6
    /// Receipts are looked up only for successes this recent: an upgrade finds older receipt-less successes
    /// (settled by query before lookups existed), and asking Daraja about all of them at once would flood it.
    public static let receiptLookupWindowMs: Int64 = 7 * 24 * 60 * 60 * 1000

    // MARK: Lists and reports
    /// `?limit=` of list routes: default and largest.
    public static let listLimitDefaultCount = 50
    public static let listLimitMaxCount = 500
    /// Rows one read of a CSV export looks at under the tenant's lock (about a millisecond), between which
    /// commands run and the chunk is sent.
    public static let exportScanRowsMax = 2_048
    /// Kenya time (UTC+3, no daylight saving): the day boundary of reports.
    public static let kenyaUTCOffsetMs: Int64 = 3 * 60 * 60 * 1000
    /// Journal lines one audit-log page may look at (about 0.1 s of parsing): a filter that matches little
    /// gives a short page with a cursor instead of reading a whole history for one request.
    public static let auditLinesScannedMax = 50_000
    /// `?actor=` and `?action=` of the audit log: bytes of printable ASCII (journaled ids and action names).
    public static let auditFilterBytesMax = 200

    // MARK: Rate limits
    /// Largest rate limit (requests per minute) a plan or an override may set.
    public static let rateLimitPerMinuteMax: Int64 = 1_000_000
    /// Largest token bucket capacity (burst).
    public static let tokenBucketCapacityMax: Int64 = 1_000_000

    // MARK: Timelines
    /// Journal lines read for one payment's timeline (GET /v1/payments/{id}).
    public static let timelineEventsMax = 10_000

    // MARK: Callbacks
    /// The longest a replaced callback token may stay accepted: a year, for C2B URLs that cannot be
    /// registered again at once (Daraja lets production URLs be registered once; changing them takes a
    /// request to Safaricom).
    public static let previousCallbackTokenHoursMax: Int64 = 24 * 366
    /// STK results kept in memory while their payment's CheckoutRequestID is not journaled yet.
    public static let earlyCallbackCountMax = 10_000
    /// Largest Daraja callback body accepted.
    public static let callbackBodyBytesMax = 64 * 1024

    // MARK: HTTP API (PesaAPI)
    /// First answers holding a secret (an API key) kept in memory for retries.
    public static let secretAnswersCountMax = 10_000
    /// An incoming `X-Request-Id` longer than this is replaced by a generated one.
    public static let requestIDCharactersMax = 128
    /// Longest `Authorization` header value read.
    public static let authorizationHeaderBytesMax = 8 * 1024
    /// Lifetime of a login JWT.
    public static let accessTokenLifetimeSeconds: Int64 = 12 * 60 * 60
    /// Clock skew tolerated on a JWT's `iat` (a token from slightly in the future is still accepted).
    public static let accessTokenClockSkewSeconds: Int64 = 60
    /// Smallest HMAC key accepted for signing JWTs.
    public static let jwtSigningKeyBytesMin = 32
    /// Random base62 characters after `pk_test_` / `pk_live_`.
    public static let apiKeyRandomCharactersCount = 40
    /// Longest API key accepted in a header (anything longer is not a key).
    public static let apiKeyCharactersMax = 128
    /// bcrypt work factor for new password hashes.
    public static let bcryptCostDefault = 12
    /// Shortest password a user may set.
    public static let passwordBytesMin = 10
    /// bcrypt reads only this many bytes of a password; longer passwords are refused.
    public static let passwordBytesMax = 72
    /// Failed logins for one email from one client address before that pair is refused (429), and how many
    /// more are allowed per minute after that. Other addresses are not refused for it.
    public static let loginFailuresPerEmailAndAddressBurstCount: Int64 = 10
    public static let loginFailuresPerEmailAndAddressRefillPerMinute: Int64 = 1
    /// Failed logins for one email from all addresses together before its logins are slowed (never refused),
    /// the refill per minute, and the wait each login attempt on it then takes before its password is checked.
    public static let loginFailuresPerEmailBurstCount: Int64 = 100
    public static let loginFailuresPerEmailRefillPerMinute: Int64 = 20
    public static let loginSlowdownDelayMs: Int64 = 1_000
    /// Successful logins of one user before the next is refused (429, no token), and the refill per minute.
    public static let loginSuccessesPerUserBurstCount: Int64 = 30
    public static let loginSuccessesPerUserRefillPerMinute: Int64 = 30
    /// Failed logins from one client address before throttling, and the refill per minute.
    public static let loginFailuresPerAddressBurstCount: Int64 = 100
    public static let loginFailuresPerAddressRefillPerMinute: Int64 = 20
    /// bcrypt jobs (logins, password checks and hashes) one key (an organization, or the client address of an
    /// unknown email) may have waiting for a worker, and all keys together; past either, 429 at once.
    public static let bcryptQueueDepthPerKeyMax = 16
    public static let bcryptQueuedJobsCountMax = 1_024
    /// The `Retry-After` of a bcrypt job refused because its queue is full.
    public static let bcryptQueueRetryAfterMs: Int64 = 1_000
    /// Entries kept by an in-memory throttle or rate limiter (emails, addresses, organizations).
    public static let throttleEntriesCountMax = 100_000
    /// JWTs remembered as verified (the signature check is skipped for them; revocation is checked anyway).
    public static let verifiedTokenCacheCountMax = 10_000
    /// Logged-out tokens not yet expired that one tenant (or the system folder) remembers.
    public static let revokedTokensCountMax = 100_000
    /// A JWT's `jti`.
    public static let tokenIDCharactersMax = 64
    /// How long `GET /readyz` reuses its last write probe of the data folder before probing again.
    public static let readinessProbeCacheMs: Int64 = 1_000
    /// Page size of list endpoints: default and largest.
    public static let pageLimitDefaultCount = 50
    public static let pageLimitCountMax = 500
    /// Longest `cursor` query parameter accepted.
    public static let cursorCharactersMax = 512
}
