import Logging
public import PesaCore
import PesaStore
import Synchronization

/// One organization's engine: the only writer of its folder, applying commands one at a time.
///
/// A command looks at the state and decides events (`Decision`); the engine applies them to the state,
/// hands them to the journal and answers only once they are durable. Commands are decided in order, as
/// they come, without waiting for earlier ones to be durable: the journal writes every batch handed to it
/// while a write is in flight with one fsync (group commit), so each decision sees every earlier one and
/// no request waits for the engine to wake up between two fsyncs. Whoever submits work while no one is
/// deciding decides the queue (no background task is needed); the journal's flush thread answers each
/// batch once it is durable, in order (`TenantEngine+Pipeline.swift`). If a write fails, that batch and
/// every batch behind it fail, nothing decided on top of them is written, and the state is reloaded from
/// disk before the next command is decided.
///
/// Reads never show a state that is not durable yet. While no batch is in flight (`Current.inFlight`), the
/// state in memory is exactly the durable one and a read runs at once under a short lock, without
/// queueing behind writes; otherwise it queues like a command and is answered after the batches before it
/// are durable (or refused, and the state reloaded).
public final class TenantEngine: @unchecked Sendable {
    public let tenantID: String
    let store: TenantStore
    let clock: any WallClock
    let logger: Logger
    let queue = Mutex<Queue>(Queue())
    /// The state, and the batches decided on it that are not durable yet. Changed by the deciding task
    /// (guarded by `Queue.draining`) and by the journal's answers; read by `read` under the lock.
    let current: Mutex<Current>
    /// The access part of the durable state, republished after every durable batch (see `accessView`).
    let published: Mutex<TenantAccessView>
    /// When a command or read last ran (idle tenants are unloaded).
    let lastUsed = Atomic<Int64>(0)
    /// A background snapshot is being written (one at a time).
    let snapshotRunning = Atomic<Bool>(false)
    let snapshotTailEventsMax: UInt64
    let metrics: EngineMetrics

    struct Current: ~Copyable {
        var state: TenantState
        /// The sequence number the next decided event gets (the journal's tip + 1 while nothing failed).
        var nextSeq: UInt64
        /// Journal flush failures this state has been reloaded after (see `Journal.failureCount`).
        var knownFailures: UInt64
        /// Decided batches not answered yet, oldest first: the journal completes them in this order.
        var inFlight: [InFlight] = []
        var nextTicket: UInt64 = 0
        /// Set when a write failed or a command was half applied: nothing is decided until the state is
        /// reloaded, once no batch is in flight.
        var needsReload = false
        /// A snapshot is due while batches are in flight: nothing is decided until they are durable and the
        /// snapshot has its copy of the state (a bubble of one fsync every `snapshotTailEventsMax` events).
        var wantsSnapshot = false
        /// Events journaled since the newest snapshot.
        var eventsSinceSnapshot: UInt64

        var holdsUndurableEvents: Bool { !inFlight.isEmpty || needsReload }
        /// Nothing may be decided now.
        var isHeld: Bool { needsReload || wantsSnapshot }
    }

    /// A decided batch waiting for its events (or for the batches before it) to be durable.
    struct InFlight {
        let ticket: UInt64
        let answers: [@Sendable (EngineError?) -> Void]
        let eventCount: Int
        /// The access view right after this batch; published once it is durable.
        let view: TenantAccessView?
        let started: ContinuousClock.Instant
        var done: Bool
        var failure: EngineError?
    }

    struct Queue {
        var jobs: [Job] = []
        var draining = false
        var credentialsUpdating = false
        var credentialsGeneration = 0
        /// The decrypted credentials as read at `generation` (secrets stay in memory, as in the Daraja client).
        var credentialsCache: (generation: Int, credentials: MpesaCredentials)?
        /// Results that arrived before Daraja's answer to their request was journaled, by the Daraja id the
        /// answer carries (CheckoutRequestID, ConversationID).
        var earlyResults: [String: CallbackReading] = [:]
    }

    /// A queued command, type-erased: runs against the state and tells how to answer.
    struct Job: Sendable {
        let run: @Sendable (inout TenantState, CommandContext) -> Outcome
    }

    enum Outcome {
        /// Events to journal, then `answer(nil)`; on a storage failure `answer(error)`. `applied` sees the
        /// state right after the events were applied, before they are durable.
        case decided(
            [TenantEvent], applied: @Sendable (TenantState) -> Void, answer: @Sendable (EngineError?) -> Void)
        /// Refused before anything changed.
        case refused(EngineError, answer: @Sendable (EngineError?) -> Void)
    }

    init(
        tenantID: String, store: TenantStore, state: TenantState, eventsSinceSnapshot: UInt64, clock: any WallClock,
        logger: Logger, snapshotTailEventsMax: UInt64 = Limits.snapshotTailEventsMax
    ) {
        self.tenantID = tenantID
        self.store = store
        self.current = Mutex(Current(
            state: state, nextSeq: store.journal.tip.seq + 1, knownFailures: store.journal.failureCount,
            eventsSinceSnapshot: eventsSinceSnapshot))
        self.published = Mutex(state.accessView)
        self.snapshotTailEventsMax = snapshotTailEventsMax
        self.metrics = EngineMetrics(tenant: tenantID)
        self.clock = clock
        self.logger = logger
    }

    /// Decides, journals and answers one command.
    public func execute<Value: Sendable>(
        _ decide: @escaping @Sendable (TenantState, CommandContext) throws(EngineError) -> Decision<Value>
    ) async throws(EngineError) -> Value {
        try await execute(decide) { (_, value) throws(EngineError) in value }
    }

    /// Decides, journals and answers one command with what `read` finds in the state right after the command's
    /// events were applied: the caller needs no second trip through the engine, which under load means
    /// waiting for the next batch's fsync (the STK push's answer, for one). `read` runs under the state's
    /// lock, like `read(_:)`; its answer is given only once the events are durable.
    public func execute<Value: Sendable, Answer: Sendable>(
        _ decide: @escaping @Sendable (TenantState, CommandContext) throws(EngineError) -> Decision<Value>,
        thenRead read: @escaping @Sendable (TenantState, Value) throws(EngineError) -> Answer
    ) async throws(EngineError) -> Answer {
        let box = ResultBox<Answer>()
        let job = Job { state, context in
            let decision: Decision<Value>
            do throws(EngineError) {
                decision = try decide(state, context)
            } catch {
                return .refused(error) { _ in box.fill(.failure(error)) }
            }
            let value = decision.value
            let found = Mutex<Result<Answer, EngineError>?>(nil)
            return .decided(
                decision.events,
                applied: { state in
                    let answer = Result { () throws(EngineError) in try read(state, value) }
                    found.withLock { $0 = answer }
                },
                answer: { error in
                    let missing = EngineError(.tenantUnavailable, "the command's answer was not read")
                    let answer = found.withLock { $0 } ?? .failure(missing)
                    box.fill(error.map { .failure($0) } ?? answer)
                })
        }
        return try await submit(job, box: box)
    }

    /// Reads the durable state: at once when no batch is in flight, else after it (see the type's comment).
    /// `body` runs under the state's lock, so it must be quick (no I/O, no waiting).
    public func read<Value: Sendable>(_ body: @escaping @Sendable (TenantState) throws(EngineError) -> Value)
        async throws(EngineError) -> Value
    {
        let direct = current.withLock { current -> Result<Value, EngineError>? in
            guard !current.holdsUndurableEvents else { return nil }
            do throws(EngineError) { return .success(try body(current.state)) } catch { return .failure(error) }
        }
        guard let direct else {
            return try await execute { (state, _) throws(EngineError) in Decision(value: try body(state)) }
        }
        lastUsed.store(clock.nowMs(), ordering: .relaxed)
        return try direct.get()
    }

    /// The organization, users, API keys and logged-out tokens as of the last durable batch: never waits
    /// behind writes, never shows what is not durable. Published before the batch's commands are answered,
    /// so a revocation is seen by every request that starts after the revoking request was answered.
    public var accessView: TenantAccessView {
        lastUsed.store(clock.nowMs(), ordering: .relaxed)
        return published.withLock { $0 }
    }

    /// Keeps a result whose request is not known by this Daraja id yet (the callback beat Daraja's answer to
    /// the request). Bounded; after a restart, reconciliation settles such a payment instead.
    func rememberEarlyResult(_ reading: CallbackReading, darajaID: String) {
        queue.withLock { queue in
            if queue.earlyResults.count >= Limits.earlyCallbackCountMax { queue.earlyResults.removeAll() }
            queue.earlyResults[darajaID] = reading
        }
    }

    func takeEarlyResult(darajaID: String) -> CallbackReading? {
        queue.withLock { $0.earlyResults.removeValue(forKey: darajaID) }
    }

    /// Whether a background snapshot is being written (tests wait for it).
    var isSnapshotting: Bool { snapshotRunning.load(ordering: .acquiring) }

    var lastUsedMs: Int64 { lastUsed.load(ordering: .relaxed) }

    /// One credentials update at a time (the vault file and the journal event must agree).
    func beginCredentialsUpdate() -> Bool {
        queue.withLock { queue in
            guard !queue.credentialsUpdating else { return false }
            queue.credentialsUpdating = true
            return true
        }
    }

    func endCredentialsUpdate() { queue.withLock { $0.credentialsUpdating = false } }

    /// Bumped on every credentials change: cached Daraja clients and tokens of an older generation are stale.
    public var credentialsGeneration: Int { queue.withLock { $0.credentialsGeneration } }

    func credentialsChanged() { queue.withLock { $0.credentialsGeneration += 1 } }

    /// The credentials cached for `generation`; nil once they changed (or were never read).
    func cachedCredentials(generation: Int) -> MpesaCredentials? {
        queue.withLock { queue in
            guard let cache = queue.credentialsCache, cache.generation == generation else { return nil }
            return cache.credentials
        }
    }

    /// Keeps credentials read at `generation`, which must have been taken before reading them: a change that
    /// lands meanwhile bumps the generation, so the entry is never used.
    func cacheCredentials(_ credentials: MpesaCredentials, generation: Int) {
        queue.withLock { $0.credentialsCache = (generation, credentials) }
    }
    var isIdle: Bool {
        queue.withLock { !$0.draining && $0.jobs.isEmpty } && current.withLock { !$0.holdsUndurableEvents }
    }

    func close() async {
        await store.close()
    }
}
