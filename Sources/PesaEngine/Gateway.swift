public import Logging
public import PesaCore
public import PesaStore
import Synchronization

/// The engine side of the product: every tenant (through the registry), the instance's own `system/`
/// folder (super admins), the credentials vault, and the use cases the API calls.
public final class Gateway: Sendable {
    public let registry: TenantRegistry
    /// The `system/` folder's engine: its state's users are the super admins.
    public let system: TenantEngine
    public let vault: CredentialVault
    public let masterKey: MasterKey
    let clock: any WallClock
    let logger: Logger
    /// Payment settings: where callbacks come back, when to reconcile.
    public let payments: PaymentSettings
    /// Daraja clients per organization; nil when the gateway runs without outbound HTTP (tests of admin use cases).
    public let upstream: UpstreamClients?
    /// email (lowercased) and API key hash -> tenant id, for logins and API keys; filled as tenants are opened
    /// (see `UserDirectory`).
    let directory: UserDirectory
    /// The organizations' callback token keys (`CallbackTokenSeal`).
    let callbackTokenKeys = CallbackTokenKeys()
    /// The last probe of the data folder for writes (`readiness()`).
    let writableProbe = WritableProbe()
    /// API calls not journaled yet (`APICallFlusher`).
    public let apiCalls = APICallMeter()
    /// The current plans (`system/` state), for the rate limit of every request.
    public let planCatalog = PlanCatalog()
    /// When the billing clock last looked at every organization, loaded or not (`advanceBilling`).
    let lastFullBillingPassMs = Mutex<Int64?>(nil)
    /// The organizations' webhook signing secrets as last read from their vaults (`webhookSigningSecrets`).
    let webhookSecrets = WebhookSecretCache()

    init(
        registry: TenantRegistry, system: TenantEngine, masterKey: MasterKey, clock: any WallClock, logger: Logger,
        payments: PaymentSettings, upstream: UpstreamClients?
    ) {
        self.payments = payments
        self.upstream = upstream
        self.registry = registry
        self.system = system
        self.vault = CredentialVault(masterKey: masterKey)
        self.masterKey = masterKey
        self.clock = clock
        self.logger = logger
        self.directory = UserDirectory()
    }

    /// Prepares the data folder, opens `system/` and discovers the tenants (their journals load lazily).
    public static func start(
        data: DataDirectory, masterKey: MasterKey, clock: any WallClock = SystemWallClock(),
        snapshotTailEventsMax: UInt64 = Limits.snapshotTailEventsMax, payments: PaymentSettings = PaymentSettings(),
        upstream: UpstreamClients? = nil, logger: Logger
    ) async throws(EngineError) -> Gateway {
        do { try data.prepare() } catch { throw EngineError.from(error) }
        var systemLogger = logger
        systemLogger[metadataKey: "tenant"] = "system"
        let opened: (store: TenantStore, state: TenantState, report: TenantStore.OpenReport)
        do {
            opened = try await TenantStore.openOffThread(
                directory: data.systemRoot, tenantID: "system", as: TenantState.self, io: data.io, logger: systemLogger)
        } catch {
            throw EngineError.from(error)
        }
        let system = TenantEngine(
            tenantID: "system", store: opened.store, state: opened.state,
            eventsSinceSnapshot: UInt64(opened.report.replayedEvents), clock: clock, logger: systemLogger)
        let registry = TenantRegistry(
            data: data, clock: clock, snapshotTailEventsMax: snapshotTailEventsMax, logger: logger)
        try registry.discover()
        let gateway = Gateway(
            registry: registry, system: system, masterKey: masterKey, clock: clock, logger: logger, payments: payments,
            upstream: upstream)
        try await gateway.seedPlans()
        return gateway
    }

    /// The seal of an organization's callback tokens; with `create`, its key is made when it has none.
    func callbackTokenSeal(_ engine: TenantEngine, create: Bool = false) async throws(EngineError) -> CallbackTokenSeal
    {
        try await callbackTokenKeys.seal(for: engine, vault: vault, create: create)
    }

    /// The engine of an organization, by id.
    public func engine(_ organization: OrganizationID) async throws(EngineError) -> TenantEngine {
        let engine = try await registry.engine(id: organization.rawValue)
        if !directory.isIndexed(organization.rawValue) {
            let entries = try await engine.read { state in
                (state.users.values.map(\.email), state.apiKeys.values.map(\.keyHash))
            }
            directory.index(tenant: organization.rawValue, emails: entries.0, keyHashes: entries.1)
            await claimProductionShortCodes(of: organization, engine: engine)
        }
        return engine
    }

    /// Production short codes saved before claims were recorded (a credential set of an older version) are
    /// claimed when their organization is first opened; one another organization already holds is logged.
    private func claimProductionShortCodes(of organization: OrganizationID, engine: TenantEngine) async {
        guard let numbers = try? await engine.read({ state in
            state.activeShortCodes.filter { $0.environment == "production" }.map(\.shortCode)
        }), !numbers.isEmpty else { return }
        for number in numbers {
            let holder = try? await system.execute { (state, _) throws(EngineError) -> Decision<OrganizationID> in
                if let holder = state.shortCodeClaims[number] { return Decision(value: holder) }
                return Decision(
                    events: [.shortCodeClaimed(.init(shortCode: number, organizationID: organization))],
                    value: organization)
            }
            if let holder, holder != organization {
                logger.warning(
                    "production short code held by two organizations; only the first takes new profiles",
                    metadata: ["short_code": "\(number)", "tenant": "\(organization)", "holder": "\(holder)"])
            }
        }
    }

    /// Opens every tenant not indexed yet, so the directory knows every email and API key of the instance.
    /// Each tenant is indexed once per process; fenced tenants are skipped.
    func indexAllTenants() async {
        for id in directory.unindexed(among: registry.listings.map(\.id)) {
            guard let organization = try? OrganizationID(parsing: id) else { continue }
            _ = try? await engine(organization)
        }
    }

    /// Closes every journal (graceful shutdown).
    public func close() async {
        await flushAPICalls()
        await registry.closeAll()
        await system.close()
    }
}

/// Where Daraja sends an organization's callbacks, and how pending payments are reconciled.
public struct PaymentSettings: Sendable {
    /// The gateway's public base URL, e.g. `https://pay.example.com` (no trailing slash).
    public var publicURL: String
    /// A payment still pending this long after its request is asked about (PESA_RECONCILE_AFTER_S).
    public var reconcileAfterMs: Int64
    /// Queries before a payment that stays unsettled becomes `unknown`.
    public var reconcileAttemptsMax: Int
    /// How long a push whose answer from Daraja was lost waits for its callback before it becomes `unknown`.
    public var lostPushAnswerWaitMs: Int64
    /// Webhook endpoints may be private, loopback or link-local addresses (PESA_ALLOW_PRIVATE_WEBHOOKS=1:
    /// on-premise receivers, tests).
    public var allowPrivateWebhooks = false
    /// Organizations holding a production short code may use http endpoints (PESA_ALLOW_HTTP_WEBHOOKS=1).
    public var allowHTTPWebhooks = false

    public init(
        publicURL: String = "http://127.0.0.1:8080", reconcileAfterMs: Int64 = 120_000, reconcileAttemptsMax: Int = 6,
        lostPushAnswerWaitMs: Int64 = Limits.lostPushAnswerWaitMs
    ) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.reconcileAfterMs = reconcileAfterMs
        self.reconcileAttemptsMax = reconcileAttemptsMax
        self.lostPushAnswerWaitMs = lostPushAnswerWaitMs
    }

    /// How long after a batch row's payout went out a transaction-status query that finds no trace of it (result
    /// 2032, while Daraja never acknowledged it) is taken to mean the request never reached Daraja, and the
    /// payout goes out again under the same id: five times `reconcileAfterMs` (ten minutes by default).
    public var notReceivedAfterMs: Int64 { reconcileAfterMs * 5 }

    /// When reconciliation next looks at a payment, or nil when it will not: a pending payment is asked about
    /// `reconcileAfterMs` after its request, then with doubling gaps; a push whose answer was lost (no
    /// CheckoutRequestID to ask with) is looked at no later than `lostPushAnswerWaitMs` after its request, when
    /// it becomes `unknown`; a success settled by STK query has its receipt looked up with the same gaps, at
    /// most `Limits.receiptLookupAttemptsMax` times beyond its queries (and only within
    /// `Limits.receiptLookupWindowMs` of its request: the reconciler skips older ones).
    public func nextReconcileAtMs(createdAtMs: Int64, attempts: Int, awaitsCheckoutID: Bool, awaitsReceipt: Bool)
        -> Int64?
    {
        if awaitsReceipt, attempts >= reconcileAttemptsMax + Limits.receiptLookupAttemptsMax { return nil }
        let backoff = createdAtMs + reconcileAfterMs * (Int64(1) << Int64(min(attempts, 20)))
        return awaitsCheckoutID ? min(backoff, createdAtMs + lostPushAnswerWaitMs) : backoff
    }

    /// Where a payment stands with reconciliation, for the API; nil for a payment that is simply final.
    public func reconciliation(of payment: Payment) -> ReconciliationView? {
        let awaitsCheckoutID = payment.type == .stkPush && payment.checkoutRequestID == nil
        let next = {
            nextReconcileAtMs(
                createdAtMs: payment.createdAtMs, attempts: payment.reconcileAttempts,
                awaitsCheckoutID: awaitsCheckoutID, awaitsReceipt: payment.receiptPending)
        }
        let reason: String
        switch payment.status {
        case .pending:
            reason =
                if awaitsCheckoutID { "answer_lost" } else if payment.reconcileAttempts == 0 { "awaiting_callback" }
                else { "querying" }
        case .succeeded where payment.receiptPending:
            reason = "receipt_pending"
        case .unknown:
            return ReconciliationView(
                attempts: payment.reconcileAttempts, nextAtMs: nil,
                reason: (payment.attentionReason ?? .unresolved).rawValue)
        default:
            return nil
        }
        return ReconciliationView(attempts: payment.reconcileAttempts, nextAtMs: next(), reason: reason)
    }

    /// `{public_url}/callbacks/{slug}/{token}` for an organization.
    public func callbackURLBase(slug: String, token: String) -> String {
        "\(publicURL)/callbacks/\(slug)/\(token)"
    }
}

/// A payment's `reconciliation` in the API: queries made, when the next look is due (nil: none is), and why
/// the payment waits: `awaiting_callback`, `querying`, `answer_lost` (Daraja's answer to a push was lost: its
/// callback may still come until `next_at`, then it becomes `unknown`), `receipt_pending`, or for an `unknown`
/// payment the `AttentionReason`.
public struct ReconciliationView: Sendable, Equatable {
    public let attempts: Int
    public let nextAtMs: Int64?
    public let reason: String

    public init(attempts: Int, nextAtMs: Int64?, reason: String) {
        self.attempts = attempts
        self.nextAtMs = nextAtMs
        self.reason = reason
    }
}

/// Which tenant each login email belongs to. Emails are unique across the instance. The directory is
/// derived data, built in memory as tenants are opened (a tenant folder copied in from elsewhere is
/// indexed the first time anyone needs it), so it can never disagree with the folders on disk.
final class UserDirectory: Sendable {
    private struct Index {
        var tenantByEmail: [String: String] = [:]
        var tenantByKeyHash: [String: String] = [:]
        var indexedTenants: Set<String> = []
    }

    private let index = Mutex(Index())

    func isIndexed(_ tenant: String) -> Bool { index.withLock { $0.indexedTenants.contains(tenant) } }

    func index(tenant: String, emails: [String], keyHashes: [String]) {
        index.withLock { index in
            index.indexedTenants.insert(tenant)
            for email in emails { index.tenantByEmail[email.lowercased()] = tenant }
            for hash in keyHashes { index.tenantByKeyHash[hash] = tenant }
        }
    }

    func tenant(forKeyHash hash: String) -> String? { index.withLock { $0.tenantByKeyHash[hash] } }

    func add(keyHash: String, tenant: String) { index.withLock { $0.tenantByKeyHash[keyHash] = tenant } }

    func tenant(forEmail email: String) -> String? { index.withLock { $0.tenantByEmail[email.lowercased()] } }

    func add(email: String, tenant: String) { index.withLock { $0.tenantByEmail[email.lowercased()] = tenant } }

    func remove(email: String) { index.withLock { _ = $0.tenantByEmail.removeValue(forKey: email.lowercased()) } }

    func unindexed(among tenants: [String]) -> [String] {
        index.withLock { index in tenants.filter { !index.indexedTenants.contains($0) } }
    }
}
