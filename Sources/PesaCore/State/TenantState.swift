/// A tenant's state: the pure projection of its journal. `apply` is the reducer; it
/// never reads a clock, a random source or a file. Snapshots are in `TenantState+Snapshot.swift`.
public struct TenantState: EventSourcedState, Equatable {
    /// 2 added `revoked_tokens`, queries, the C2B validation policy and password change times; 3 the
    /// organization's previous callback token; 4 the same bytes as 3, with idempotency records dropped once
    /// an hour (`Limits.idempotencyPruneEveryMs`) instead of at each new one; 5 the same bytes again, with the
    /// idempotency records that `user.created` / `api_key.created` carry (a binary before 5 ignores them, so it
    /// must refuse these snapshots instead of mixing them with its own replay); 6 the same bytes again, with
    /// failed, cancelled and timed-out payments that a success failing its proof turned `unknown` (a binary
    /// before 6 counts that event as late), and with users' `updatedAtMs` moved only by a `user.updated` that
    /// changes something (sessions end at it). `pesa verify` compares only snapshots of the current format
    /// with a replay by this code. 7 replaced the credentials record with short-code profiles, and
    /// added the profile of each payment, query and balance. 8 added billing (subscription, invoices, invoice
    /// numbers, billing settings), the burst of an organization's rate limit override and each API key's own
    /// rate limit. 9 replaced the binary batch records (which no release wrote) with the batches and their rows as
    /// canonical JSON, and added the organization's batch settings. 10 replaced the binary webhook endpoint
    /// records (which no release wrote) with the webhooks as canonical JSON: endpoints, the events kept and their
    /// deliveries, and the webhooks delivered per month. 11 added the callbacks that matched no payment per day
    /// of their latest 7 days, read from older formats as unknown until the snapshot's last event. Formats 1 to
    /// 10 are still read.
    public static let snapshotFormatVersion = 11

    public internal(set) var lastSeq: UInt64 = 0
    public internal(set) var lastAtMs: Int64 = 0
    public internal(set) var organization: OrganizationRecord?
    public internal(set) var users: [UserID: UserRecord] = [:]
    public internal(set) var apiKeys: [APIKeyID: APIKeyRecord] = [:]
    /// Short-code profiles (deleted ones too, so that old payments still name their short code). A credential
    /// set saved before profiles existed (`credentials.updated`) reads as one or two profiles.
    public internal(set) var shortCodes: [ShortCodeID: ShortCodeRecord] = [:]
    /// In the instance's `system/` state only: production short code -> the organization holding it.
    public internal(set) var shortCodeClaims: [String: OrganizationID] = [:]
    /// In the instance's `system/` state only: every version of every plan, oldest first, with when it was saved.
    public internal(set) var plans: [String: [PlanVersion]] = [:]
    public internal(set) var payments = PaymentTable()
    /// Keyed by `IdempotencyRecord.storageKey(scope:key:)`; records past the window are dropped at the first
    /// event of each `Limits.idempotencyPruneEveryMs` (until then they are kept, and not replayed).
    public internal(set) var idempotency: [String: IdempotencyRecord] = [:]
    public internal(set) var balances: [String: BalanceRecord] = [:]
    public internal(set) var batches: [BatchID: BatchRecord] = [:]
    /// The organization's rules for batches (approval, low balance); nil: the defaults.
    public internal(set) var batchSettings: BatchSettings?
    public internal(set) var counters = TenantCounters()
    /// Callbacks that matched no payment in the last days, for the overview (format 11 and later).
    public internal(set) var unmatchedCallbacks = UnmatchedCallbacks()
    public internal(set) var webhookEndpoints: [WebhookEndpointID: WebhookEndpointRecord] = [:]
    /// The organization's most recent events (at most `Limits.webhookEventsKeptMax`, and every one with a
    /// delivery still pending), oldest first in `webhookEventOrder`; older ones stay in the journal.
    public internal(set) var webhookEvents: [EventID: WebhookEventRecord] = [:]
    public internal(set) var webhookEventOrder: [EventID] = []
    /// The deliveries of the events kept.
    public internal(set) var webhookDeliveries: [WebhookDeliveryID: WebhookDeliveryRecord] = [:]
    /// Webhooks delivered (answered 2xx) per Kenya month (`YYYY-MM`).
    public internal(set) var webhooksDeliveredByMonth: [String: Int64] = [:]
    /// API calls per month (`YYYY-MM`).
    public internal(set) var apiCallsByMonth: [String: Int64] = [:]
    /// Balance and transaction-status queries sent to Daraja, with their results.
    public internal(set) var queries: [QueryID: QueryRecord] = [:]
    /// How C2B validation requests are answered; nil accepts every payment.
    public internal(set) var c2bValidation: C2BValidationRecord?
    /// A C2B validation rule whose list is still arriving in parts, with the list's whole length. Its parts come in
    /// one commit, so any other event ends it: one left incomplete was torn at a crash, never acknowledged, and
    /// the rule before it stays. Never in a snapshot.
    public internal(set) var c2bValidationPending: C2BValidationPending?
    /// Logged-out JWTs (`jti` -> expiry in ms) that have not expired as of the last `token.revoked`.
    public internal(set) var revokedTokens: [String: Int64] = [:]
    /// Billing: the organization's subscription, invoices and where its API call records lie in the journal;
    /// in `system/`, the instance's billing settings, invoice numbers and invoice payments (`BillingState`).
    public internal(set) var billing = BillingState()

    // Derived indexes (rebuilt from the above after a snapshot is read).
    var userIDsByEmail: [String: UserID] = [:]
    var apiKeyIDsByHash: [String: APIKeyID] = [:]
    var queryIDsByConversation: [String: QueryID] = [:]
    /// The batch row each batch payout pays (every payout a row made, so a late result still finds it).
    var batchRowsByPayment: [PaymentID: BatchRowRef] = [:]
    /// Deliveries waiting for an attempt.
    public internal(set) var pendingWebhookDeliveries: Set<WebhookDeliveryID> = []
    /// The pending deliveries with a next attempt, in the order they fall due.
    public internal(set) var webhookSchedule = WebhookSchedule()
    /// STK pushes and payouts started, by Kenya month of their start (a plan's hard cap counts these).
    public internal(set) var transactionsByMonth: [String: Int64] = [:]

    public init() {}

    /// The protocol's entry point: decodes the journal's JSON `data`, then applies it.
    public mutating func apply(
        eventType: String, data: ArraySlice<UInt8>, seq: UInt64, atMs: Int64
    ) throws(EventDecodingError) {
        do {
            try apply(TenantEvent(type: eventType, data: data), seq: seq, atMs: atMs)
        } catch {
            throw EventDecodingError(eventType: eventType, message: error.description)
        }
    }

    /// Applies one event at journal position `seq`, time `atMs`. Checks it first (`validate`): a refused
    /// event changes nothing.
    public mutating func apply(_ event: TenantEvent, seq: UInt64, atMs: Int64) throws(PesaCoreError) {
        guard lastSeq == 0 || seq > lastSeq else {
            throw .inconsistentEvent("event seq \(seq) is not after \(lastSeq)")
        }
        try validate(event)
        if atMs / Limits.idempotencyPruneEveryMs > lastAtMs / Limits.idempotencyPruneEveryMs {
            pruneIdempotency(nowMs: atMs)
        }
        // A list in parts ends with its commit: any other event drops one left incomplete (torn at a crash).
        if case .c2bValidationReferencesAdded = event {} else { c2bValidationPending = nil }
        reduce(event, atMs: atMs)
        followBatchRow(event, atMs: atMs)
        reduceBilling(event, seq: seq, atMs: atMs)
        recordTimeline(event, seq: seq)
        lastSeq = seq
        lastAtMs = atMs
    }

    // MARK: Reads

    public func user(id: UserID) -> UserRecord? { users[id] }

    /// Emails are compared case-insensitively.
    public func user(email: String) -> UserRecord? {
        userIDsByEmail[email.lowercased()].flatMap { users[$0] }
    }

    public func apiKey(hash: String) -> APIKeyRecord? {
        apiKeyIDsByHash[hash].flatMap { apiKeys[$0] }
    }

    public func payment(id: PaymentID) -> Payment? { payments[id] }

    public func query(id: QueryID) -> QueryRecord? { queries[id] }

    /// The query whose acknowledgement carried this `ConversationID` (its result carries it again).
    public func query(conversationID: String) -> QueryRecord? {
        queryIDsByConversation[conversationID].flatMap { queries[$0] }
    }
    /// Whether the JWT with this `jti` was given up at logout.
    public func isTokenRevoked(_ tokenID: String) -> Bool { revokedTokens[tokenID] != nil }

    public func idempotencyRecord(scope: String, key: String) -> IdempotencyRecord? {
        idempotency[IdempotencyRecord.storageKey(scope: scope, key: key)]
    }

    /// The rate limit in force: the organization's override, else its plan's.
    public var rateLimitPerMinute: Int64? { accessView.rateLimitPerMinute }
}

extension IdempotencyRecord {
    static func storageKey(scope: String, key: String) -> String { scope + "\n" + key }
}
