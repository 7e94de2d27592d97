import Logging
public import PesaCore
import PesaStore
import Synchronization

/// One organization's engine: the only writer of its folder, applying commands one at a time.
///
/// A command looks at the state and decides events (`Decision`); the engine applies them to the state,
/// journals them and answers only once they are durable. Commands queued while a journal write is in
/// flight are decided together, in order, and their events share one fsync (group commit), so each
/// decision sees every earlier one. Reads go through the same queue, so nobody is ever shown a state that
/// is not durable yet. Whoever submits work while no one is draining the queue drains it (no background
/// task is needed); if a write fails, every command of that batch fails and the state is reloaded from disk.
public final class TenantEngine: @unchecked Sendable {
    public let tenantID: String
    let store: TenantStore
    let clock: any WallClock
    let logger: Logger
    private let queue = Mutex<Queue>(Queue())
    /// Touched only by the task draining the queue (guarded by `Queue.draining`).
    private var state: TenantState
    /// Events journaled since the newest snapshot (drainer only).
    private var eventsSinceSnapshot: UInt64
    let snapshotTailEventsMax: UInt64
    let metrics: EngineMetrics

    private struct Queue {
        var jobs: [Job] = []
        var draining = false
        var lastUsedMs: Int64 = 0
        var credentialsUpdating = false
        var credentialsGeneration = 0
        /// The decrypted credentials as read at `generation` (secrets stay in memory, as in the Daraja client).
        var credentialsCache: (generation: Int, credentials: MpesaCredentials)?
        var snapshotInFlight = false
        /// Results that arrived before Daraja's answer to their request was journaled, by the Daraja id the
        /// answer carries (CheckoutRequestID, ConversationID).
        var earlyResults: [String: CallbackReading] = [:]
    }

    /// A queued command, type-erased: runs against the state and tells how to answer.
    struct Job: Sendable {
        let run: @Sendable (inout TenantState, CommandContext) -> Outcome
    }

    enum Outcome {
        /// Events to journal, then `answer(nil)`; on a storage failure `answer(error)`.
        case decided([TenantEvent], answer: @Sendable (EngineError?) -> Void)
        /// Refused before anything changed.
        case refused(EngineError, answer: @Sendable (EngineError?) -> Void)
    }

    init(
        tenantID: String, store: TenantStore, state: TenantState, eventsSinceSnapshot: UInt64, clock: any WallClock,
        logger: Logger, snapshotTailEventsMax: UInt64 = Limits.snapshotTailEventsMax
    ) {
        self.tenantID = tenantID
        self.store = store
        self.state = state
        self.eventsSinceSnapshot = eventsSinceSnapshot
        self.snapshotTailEventsMax = snapshotTailEventsMax
        self.metrics = EngineMetrics(tenant: tenantID)
        self.clock = clock
        self.logger = logger
    }

    /// Decides, journals and answers one command.
    public func execute<Value: Sendable>(
        _ decide: @escaping @Sendable (TenantState, CommandContext) throws(EngineError) -> Decision<Value>
    ) async throws(EngineError) -> Value {
        let box = ResultBox<Value>()
        let job = Job { state, context in
            let decision: Decision<Value>
            do throws(EngineError) {
                decision = try decide(state, context)
            } catch {
                return .refused(error) { _ in box.fill(.failure(error)) }
            }
            let value = decision.value
            return .decided(decision.events) { error in box.fill(error.map { .failure($0) } ?? .success(value)) }
        }
        return try await submit(job, box: box)
    }

    /// Reads the durable state.
    public func read<Value: Sendable>(_ body: @escaping @Sendable (TenantState) throws(EngineError) -> Value)
        async throws(EngineError) -> Value
    {
        try await execute { (state, _) throws(EngineError) in Decision(value: try body(state)) }
    }

    private func submit<Value>(_ job: Job, box: ResultBox<Value>) async throws(EngineError) -> Value {
        let drain = queue.withLock { queue -> Bool in
            queue.jobs.append(job)
            guard !queue.draining else { return false }
            queue.draining = true
            return true
        }
        if drain { await drainQueue() }
        return try await box.value().get()
    }

    private func drainQueue() async {
        while let batch = takeBatch() {
            await process(batch)
        }
    }

    private func takeBatch() -> [Job]? {
        queue.withLock { queue -> [Job]? in
            guard !queue.jobs.isEmpty else {
                queue.draining = false
                return nil
            }
            let batch = queue.jobs
            queue.jobs.removeAll(keepingCapacity: true)
            return batch
        }
    }

    /// Decides every job of a batch in order, journals all their events with one append, then answers.
    private func process(_ batch: [Job]) async {
        let nowMs = clock.nowMs()
        let context = CommandContext(nowMs: nowMs)
        var nextSeq = store.journal.head.seq + 1
        var lines: [NewEvent] = []
        var answers: [@Sendable (EngineError?) -> Void] = []
        var index = 0
        var damaged = false
        while index < batch.count && !damaged {
            switch batch[index].run(&state, context) {
            case .refused(let error, let answer):
                answer(error)
            case .decided(let events, let answer):
                var applied = 0
                for event in events {
                    do {
                        try state.apply(event, seq: nextSeq + UInt64(applied), atMs: nowMs)
                        applied += 1
                    } catch {
                        logger.error("a command decided an event the state refuses", metadata: ["error": "\(error)"])
                        answer(EngineError.from(error))
                        damaged = applied > 0
                        break
                    }
                }
                if applied == events.count {
                    lines += events.map { NewEvent(type: $0.type, data: $0.canonicalData(), atMs: nowMs) }
                    nextSeq += UInt64(applied)
                    answers.append(answer)
                }
            }
            index += 1
        }
        if index < batch.count { requeue(Array(batch[index...])) }
        await commit(lines, answers: answers, reload: damaged)
        queue.withLock { $0.lastUsedMs = nowMs }
    }

    private func commit(_ lines: [NewEvent], answers: [@Sendable (EngineError?) -> Void], reload: Bool) async {
        var failure: EngineError?
        if !lines.isEmpty {
            let started = ContinuousClock.now
            do {
                _ = try await store.append(lines)
                metrics.recordCommit(elapsed: ContinuousClock.now - started, events: lines.count)
            } catch {
                metrics.recordFailure()
                failure = EngineError.from(error)
                logger.error("journal write failed; the batch is refused", metadata: ["error": "\(error)"])
            }
        }
        if failure != nil || reload { await reloadState() }
        if failure == nil {
            eventsSinceSnapshot += UInt64(lines.count)
            if eventsSinceSnapshot >= snapshotTailEventsMax { snapshotInBackground() }
        }
        for answer in answers { answer(failure) }
    }

    /// Hands a copy of the durable state to the store's I/O queue to snapshot and compact, one at a time.
    private func snapshotInBackground() {
        let start = queue.withLock { queue -> Bool in
            guard !queue.snapshotInFlight else { return false }
            queue.snapshotInFlight = true
            return true
        }
        guard start else { return }
        eventsSinceSnapshot = 0
        let logger = self.logger
        store.snapshotAndCompactInBackground(state, at: store.journal.head, atMs: clock.nowMs()) { result in
            if case .failure(let error) = result {
                logger.error("automatic snapshot failed; will try again later", metadata: ["error": "\(error)"])
            }
            self.queue.withLock { $0.snapshotInFlight = false }
        }
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
    var isSnapshotting: Bool { queue.withLock { $0.snapshotInFlight } }

    private func requeue(_ jobs: [Job]) {
        queue.withLock { $0.jobs.insert(contentsOf: jobs, at: 0) }
    }

    /// Rebuilds the state from disk after a refused write or a half-applied command.
    private func reloadState() async {
        let directory = store.directory
        let head = store.journal.head
        do {
            let (reloaded, _) = try TenantStore.readState(directory: directory, as: TenantState.self, io: store.io, upTo: head.seq)
            state = reloaded
        } catch {
            logger.critical("state reload failed; the process must restart", metadata: ["error": "\(error)"])
            preconditionFailure("tenant \(tenantID): state reload failed: \(error)")
        }
    }

    var lastUsedMs: Int64 { queue.withLock { $0.lastUsedMs } }

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
    var isIdle: Bool { queue.withLock { !$0.draining && $0.jobs.isEmpty } }

    func close() async {
        await store.close()
    }
}
