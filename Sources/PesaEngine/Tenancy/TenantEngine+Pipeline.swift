import Logging
import PesaCore
import PesaStore
import Synchronization

/// The engine's write path: decide queued commands in order, hand their events to the journal without
/// waiting, and answer each batch from the journal's flush thread once it (and every batch before it) is
/// durable.
///
/// Why not wait for each batch before deciding the next: then every fsync ends with a wake-up of the
/// deciding task before the next batch can even be handed to the journal, and under load that wake-up
/// queues behind other work for milliseconds while the disk sits idle. Here the journal finds the next
/// batch already queued when an fsync ends.
extension TenantEngine {
    func submit<Value>(_ job: Job, box: ResultBox<Value>) async throws(EngineError) -> Value {
        let drain = queue.withLock { queue -> Bool in
            queue.jobs.append(job)
            guard !queue.draining else { return false }
            queue.draining = true
            return true
        }
        if drain { drainQueue() }
        return try await box.value().get()
    }

    /// Decides batches until the queue is empty, or until the state must be reloaded first (then whoever
    /// reloads it drains on).
    func drainQueue() {
        while let batch = takeBatch() {
            guard process(batch) else {
                requeue(batch)
                queue.withLock { $0.draining = false }
                // The reload may have finished (and found the queue still taken) before it was given up.
                if !current.withLock({ $0.isHeld }) { kickQueue() }
                return
            }
        }
    }

    /// Drains the queue if it has work and no one is draining it.
    func kickQueue() {
        let drain = queue.withLock { queue -> Bool in
            guard !queue.draining, !queue.jobs.isEmpty else { return false }
            queue.draining = true
            return true
        }
        if drain { drainQueue() }
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

    private func requeue(_ jobs: [Job]) {
        queue.withLock { $0.jobs.insert(contentsOf: jobs, at: 0) }
    }

    /// What deciding a batch leads to, once the state's lock is released.
    private enum Step {
        /// The state must be reloaded first; nothing was decided.
        case held
        /// Nothing to journal and nothing before it in flight: the answers can be given now.
        case answerNow([@Sendable (EngineError?) -> Void])
        /// Queued behind batches in flight; answered when they are.
        case queuedBehind
        case append(ticket: UInt64, lines: [NewEvent], knownFailures: UInt64)
    }

    /// Decides the jobs of a batch in order and hands their events to the journal with one append. False
    /// when the state must be reloaded before anything is decided (the batch is untouched).
    private func process(_ batch: [Job]) -> Bool {
        let nowMs = clock.nowMs()
        let context = CommandContext(nowMs: nowMs)
        var refusals: [(@Sendable (EngineError?) -> Void, EngineError)] = []
        var decidedCount = 0
        var reloadNow = false
        var snapshot: (TenantState, JournalPosition)?
        let step = current.withLock { current -> Step in
            guard !current.needsReload else { return .held }
            if current.wantsSnapshot || current.eventsSinceSnapshot >= snapshotTailEventsMax {
                if snapshotRunning.load(ordering: .relaxed) {
                    current.wantsSnapshot = false
                } else if !current.inFlight.isEmpty {
                    current.wantsSnapshot = true
                    return .held
                } else {
                    current.wantsSnapshot = false
                    snapshot = (current.state, store.journal.head)
                }
            }
            let decided = Self.decide(
                batch, state: &current.state, firstSeq: current.nextSeq, context: context, logger: logger)
            refusals = decided.refusals
            decidedCount = decided.decidedCount
            if decided.damaged { current.needsReload = true }
            if decided.lines.isEmpty {
                guard !current.inFlight.isEmpty else {
                    reloadNow = decided.damaged
                    return .answerNow(decided.answers)
                }
                current.inFlight.append(InFlight(
                    ticket: current.nextTicket, answers: decided.answers, eventCount: 0, view: nil,
                    started: .now, done: true))
                current.nextTicket += 1
                return .queuedBehind
            }
            let ticket = current.nextTicket
            current.nextTicket += 1
            current.nextSeq += UInt64(decided.lines.count)
            current.inFlight.append(InFlight(
                ticket: ticket, answers: decided.answers, eventCount: decided.lines.count,
                view: current.state.accessView, started: .now, done: false))
            return .append(ticket: ticket, lines: decided.lines, knownFailures: current.knownFailures)
        }
        lastUsed.store(nowMs, ordering: .relaxed)
        if let (state, head) = snapshot { snapshotInBackground(state, at: head) }
        if case .held = step { return false }
        for (answer, error) in refusals { answer(error) }
        if decidedCount < batch.count { requeue(Array(batch[decidedCount...])) }
        switch step {
        case .held, .queuedBehind:
            break
        case .answerNow(let answers):
            if reloadNow { reloadState() }
            for answer in answers { answer(nil) }
        case .append(let ticket, let lines, let knownFailures):
            store.journal.append(lines, knownFailures: knownFailures) { result in
                self.completed(ticket: ticket, result)
            }
        }
        return true
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
        while decided.decidedCount < batch.count && !decided.damaged {
            switch batch[decided.decidedCount].run(&state, context) {
            case .refused(let error, let answer):
                decided.refusals.append((answer, error))
            case .decided(let events, let afterApplying, let answer):
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
                    afterApplying(state)
                    decided.lines += events.map {
                        NewEvent(type: $0.type, data: $0.canonicalData(), atMs: context.nowMs)
                    }
                    nextSeq += UInt64(applied)
                    decided.answers.append(answer)
                }
            }
            decided.decidedCount += 1
        }
        return decided
    }

    /// The journal's answer for batch `ticket`: answers every batch at the front that is done, in order,
    /// after publishing the access view of the newest durable one. Once a write failed, every batch behind it
    /// fails too. When none is left in flight, a held engine reloads its state (after a failure) or hands
    /// its state to a snapshot, then drains on.
    private func completed(ticket: UInt64, _ result: Result<[JournalPosition], StoreError>) {
        var answered: [InFlight] = []
        let (view, reload, snapshot) = current.withLock {
            current -> (TenantAccessView?, Bool, (TenantState, JournalPosition)?) in
            guard let index = current.inFlight.firstIndex(where: { $0.ticket == ticket }) else {
                preconditionFailure("the journal answered a batch the engine did not hand it")
            }
            current.inFlight[index].done = true
            if case .failure(let error) = result {
                current.inFlight[index].failure = EngineError.from(error)
                current.needsReload = true
            }
            var failure: EngineError?
            var view: TenantAccessView?
            while let first = current.inFlight.first, first.done {
                var batch = current.inFlight.removeFirst()
                failure = batch.failure ?? failure
                batch.failure = failure
                if failure == nil {
                    view = batch.view ?? view
                    current.eventsSinceSnapshot += UInt64(batch.eventCount)
                }
                answered.append(batch)
            }
            guard current.inFlight.isEmpty else { return (view, false, nil) }
            if current.needsReload { return (view, true, nil) }
            guard current.wantsSnapshot else { return (view, false, nil) }
            current.wantsSnapshot = false
            return (view, false, (current.state, store.journal.head))
        }
        if let view { published.withLock { $0 = view } }
        for batch in answered {
            if let failure = batch.failure {
                if batch.eventCount > 0 { metrics.recordFailure() }
                logger.error("journal write failed; the batch is refused", metadata: ["error": "\(failure)"])
            } else if batch.eventCount > 0 {
                metrics.recordCommit(elapsed: .now - batch.started, events: batch.eventCount)
            }
        }
        if let (state, head) = snapshot { snapshotInBackground(state, at: head) }
        if reload { reloadState() }
        for batch in answered {
            for answer in batch.answers { answer(batch.failure) }
        }
        // Deciding was held for the reload or the snapshot: drain on (a no-op while someone else drains).
        if reload || snapshot != nil { kickQueue() }
    }

    /// Rebuilds the state from disk after a refused write or a half-applied command; nothing is in flight.
    func reloadState() {
        let directory = store.directory
        let head = store.journal.head
        let failures = store.journal.failureCount
        do {
            let (reloaded, _) = try TenantStore.readState(
                directory: directory, as: TenantState.self, io: store.io, upTo: head.seq)
            let view = reloaded.accessView
            current.withLock { current in
                precondition(current.inFlight.isEmpty, "the state is reloaded only when no batch is in flight")
                current.state = reloaded
                current.nextSeq = head.seq + 1
                current.knownFailures = failures
                current.needsReload = false
            }
            published.withLock { $0 = view }
        } catch {
            logger.critical("state reload failed; the process must restart", metadata: ["error": "\(error)"])
            preconditionFailure("tenant \(tenantID): state reload failed: \(error)")
        }
    }

    /// Hands the durable state (`state`, exactly the journal up to `head`) to the store's I/O queue to
    /// snapshot and compact, one at a time.
    private func snapshotInBackground(_ state: TenantState, at head: JournalPosition) {
        guard !snapshotRunning.exchange(true, ordering: .acquiringAndReleasing) else { return }
        current.withLock { $0.eventsSinceSnapshot = 0 }
        let logger = self.logger
        store.snapshotAndCompactInBackground(state, at: head, atMs: clock.nowMs()) { result in
            if case .failure(let error) = result {
                logger.error("automatic snapshot failed; will try again later", metadata: ["error": "\(error)"])
            }
            self.snapshotRunning.store(false, ordering: .releasing)
        }
    }
}
