import Logging
public import PesaCore
import PesaStore
import Synchronization

/// One organization's engine: the only writer of its folder, applying commands one at a time.
///
/// A command looks at the state and decides events (`Decision`); the engine applies them to the state,
/// journals them and answers only once they are durable. Commands queued while a journal write is in
/// flight are decided together, in order, and their events share one fsync (group commit), so each
/// decision sees every earlier one. Whoever submits work while no one is draining the queue drains it (no
/// background task is needed); if a write fails, every command of that batch fails and the state is
/// reloaded from disk.
///
/// Reads never show a state that is not durable yet. While no batch is between "applied in memory" and
/// "fsynced" (`Current.holdsUndurableEvents`), the state in memory is exactly the durable one and a read runs
/// at once under a short lock, without queueing behind writes; during that window it queues like a
/// command and runs after the batch is durable (or refused and reloaded).
public final class TenantEngine: @unchecked Sendable {
    public let tenantID: String
    let store: TenantStore
    let clock: any WallClock
    let logger: Logger
    private let queue = Mutex<Queue>(Queue())
    /// Written only by the task draining the queue (guarded by `Queue.draining`); read by `read` under the lock.
    private let current: Mutex<Current>
    /// The access part of the durable state, republished after every durable batch (see `accessView`).
    private let published: Mutex<TenantAccessView>
    /// When a command or read last ran (idle tenants are unloaded).
    private let lastUsed = Atomic<Int64>(0)
    /// Events journaled since the newest snapshot (drainer only).
    private var eventsSinceSnapshot: UInt64
    let snapshotTailEventsMax: UInt64
    let metrics: EngineMetrics

    /// The state, and whether it holds events of a batch that is not durable yet.
    private struct Current: ~Copyable {
        var state: TenantState
        var holdsUndurableEvents = false
    }

    private struct Queue {
        var jobs: [Job] = []
        var draining = false
        var credentialsUpdating = false
        var credentialsGeneration = 0
        /// The decrypted profile secrets as read at `generation` (secrets stay in memory, as in the Daraja
        /// client).
        var credentialsCache: (generation: Int, secrets: [ShortCodeSecrets])?
        var snapshotInFlight = false
        var earlyResults = EarlyResults<CallbackReading>(countMax: Limits.earlyCallbackCountMax)
        /// Unloaded (`closeIfIdle`): new commands are refused, nothing more is written.
        var closed = false
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
        self.current = Mutex(Current(state: state))
        self.published = Mutex(state.accessView)
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
    /// `body` runs under the state's lock, so it must be quick (no I/O, no waiting). A background service that
    /// only looks (`touch: false`) does not count as a use, so an organization nobody uses still unloads.
    public func read<Value: Sendable>(
        touch: Bool = true, _ body: @escaping @Sendable (TenantState) throws(EngineError) -> Value
    ) async throws(EngineError) -> Value {
        let direct = current.withLock { current -> Result<Value, EngineError>? in
            guard !current.holdsUndurableEvents else { return nil }
            do throws(EngineError) { return .success(try body(current.state)) } catch { return .failure(error) }
        }
        guard let direct else {
            return try await execute { (state, _) throws(EngineError) in Decision(value: try body(state)) }
        }
        if touch { lastUsed.store(clock.nowMs(), ordering: .relaxed) }
        return try direct.get()
    }

    /// The organization, users, API keys and logged-out tokens as of the last durable batch: never waits
    /// behind writes, never shows what is not durable. Published before the batch's commands are answered,
    /// so a revocation is seen by every request that starts after the revoking request was answered.
    public var accessView: TenantAccessView {
        lastUsed.store(clock.nowMs(), ordering: .relaxed)
        return published.withLock { $0 }
    }

    private func submit<Value>(_ job: Job, box: ResultBox<Value>) async throws(EngineError) -> Value {
        let drain = try queue.withLock { (queue) throws(EngineError) -> Bool in
            guard !queue.closed else {
                throw EngineError(.storageUnavailable, "the organization was being unloaded; nothing was recorded")
            }
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
        let firstSeq = store.journal.head.seq + 1
        let decided = current.withLock { current in
            let decided = Self.decide(
                batch, state: &current.state, firstSeq: firstSeq, context: context, logger: logger)
            if !decided.lines.isEmpty || decided.damaged { current.holdsUndurableEvents = true }
            return decided
        }
        for (answer, error) in decided.refusals { answer(error) }
        if decided.decidedCount < batch.count { requeue(Array(batch[decided.decidedCount...])) }
        await commit(decided.lines, answers: decided.answers, reload: decided.damaged)
        lastUsed.store(nowMs, ordering: .relaxed)
    }

    private struct Decided {
        var lines: [NewEvent] = []
        var answers: [@Sendable (EngineError?) -> Void] = []
        var refusals: [(@Sendable (EngineError?) -> Void, EngineError)] = []
        var decidedCount = 0
        var damaged = false
    }

    /// Runs the jobs against the state in order, applying their events; stops after a half-applied command.
    private static func decide(
        _ batch: [Job], state: inout TenantState, firstSeq: UInt64, context: CommandContext, logger: Logger
    ) -> Decided {
        var decided = Decided()
        var nextSeq = firstSeq
        var lineBytes = 0
        // At least one command; more while the write stays under `commitBatchBytesMax` (the rest is requeued).
        while decided.decidedCount < batch.count && !decided.damaged
            && (decided.decidedCount == 0 || lineBytes < Limits.commitBatchBytesMax)
        {
            switch batch[decided.decidedCount].run(&state, context) {
            case .refused(let error, let answer):
                decided.refusals.append((answer, error))
            case .decided(let events, let afterApplying, let answer):
                // Encoded before anything is applied: a command whose record would not fit in a journal line
                // is refused alone, instead of failing the whole batch at the write and reloading the state.
                let lines = events.map { NewEvent(type: $0.type, data: $0.canonicalData(), atMs: context.nowMs) }
                if let oversized = lines.first(where: { !Journal.fits($0) }) {
                    decided.refusals.append((answer, EngineError(
                        .tooLarge, "the request is too large to record (its \(oversized.type) record would be "
                            + "\(oversized.data.count) bytes; a journal line holds \(Limits.journalLineBytesMax))")))
                    decided.decidedCount += 1
                    continue
                }
                let before = state.webhookEndpoints.isEmpty ? nil : WebhookTriggers.before(events, in: state)
                var applied = 0
                for event in events {
                    do {
                        try state.apply(event, seq: nextSeq + UInt64(applied), atMs: context.nowMs)
                        applied += 1
                    } catch {
                        logger.error("a command decided an event the state refuses", metadata: ["error": "\(error)"])
                        decided.refusals.append((answer, EngineError.from(error)))
                        decided.damaged = applied > 0
                        break
                    }
                }
                if applied == events.count {
                    let outbox = before.map {
                        Self.webhookEvents(
                            events, before: $0, state: &state, seq: nextSeq + UInt64(applied), context: context,
                            logger: logger)
                    }
                    let lines = lines + (outbox ?? []).map {
                        NewEvent(type: $0.type, data: $0.canonicalData(), atMs: context.nowMs)
                    }
                    afterApplying(state)
                    lineBytes += lines.reduce(0) { $0 + $1.data.count + $1.type.utf8.count }
                    decided.lines += lines
                    nextSeq += UInt64(applied + (outbox?.count ?? 0))
                    decided.answers.append(answer)
                }
            }
            decided.decidedCount += 1
        }
        return decided
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
        let view = current.withLock { current in
            current.holdsUndurableEvents = false
            return current.state.accessView
        }
        published.withLock { $0 = view }
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
        let state = current.withLock { $0.state }
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
            queue.earlyResults.remember(reading, for: darajaID, replaces: reading.outranks)
        }
    }

    func takeEarlyResult(darajaID: String) -> CallbackReading? {
        queue.withLock { $0.earlyResults.take(darajaID) }
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
            let (reloaded, _) = try TenantStore.readState(
                directory: directory, as: TenantState.self, io: store.io, upTo: head.seq)
            current.withLock { $0.state = reloaded }
        } catch {
            logger.critical("state reload failed; the process must restart", metadata: ["error": "\(error)"])
            preconditionFailure("tenant \(tenantID): state reload failed: \(error)")
        }
    }

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

    /// The profile secrets cached for `generation`; nil once they changed (or were never read).
    func cachedSecrets(generation: Int) -> [ShortCodeSecrets]? {
        queue.withLock { queue in
            guard let cache = queue.credentialsCache, cache.generation == generation else { return nil }
            return cache.secrets
        }
    }

    /// Keeps secrets read at `generation`, which must have been taken before reading them: a change that
    /// lands meanwhile bumps the generation, so the entry is never used.
    func cacheSecrets(_ secrets: [ShortCodeSecrets], generation: Int) {
        queue.withLock { $0.credentialsCache = (generation, secrets) }
    }
    /// Stops taking commands if none is queued or being decided or written, and no background snapshot or
    /// compaction is running in the folder; whether it did. Checked and set under one lock, so no command
    /// slips in between.
    func closeIfIdle() -> Bool {
        queue.withLock { queue in
            guard !queue.draining, queue.jobs.isEmpty, !queue.snapshotInFlight, !queue.closed else { return false }
            queue.closed = true
            return true
        }
    }

    func close() async {
        await store.close()
    }
}
