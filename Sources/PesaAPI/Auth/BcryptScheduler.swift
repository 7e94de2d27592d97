import NIOCore
import NIOPosix
import PesaCore
import Synchronization

/// Runs bcrypt work fairly between keys (an organization, or the client address of an unknown email) on a
/// fixed number of workers, so one organization's login flood, successful or not, cannot make another's
/// logins wait behind it.
///
/// - At most `workersCount` jobs run at once (each on a thread of NIO's blocking pool; never on the
///   cooperative pool). A job finds a free worker and starts, or waits in its key's FIFO queue.
/// - A worker that finishes takes the next queued job round-robin over the keys (`FairQueue`), so a job of a
///   key with nothing else queued starts within as many finished jobs as there are keys waiting, whatever
///   another key has queued.
/// - A key holds at most `queueDepthPerKeyMax` waiting jobs, and all keys together `queuedJobsCountMax`;
///   a job past either is never queued: 429 `RATE_LIMITED` with `Retry-After` at once.
final class BcryptScheduler: Sendable {
    struct Job: Sendable {
        let start: @Sendable (NIOThreadPool.WorkItemState) -> Void
    }

    struct State {
        var queue: FairQueue<Job>
        var runningCount = 0
    }

    private let state: Mutex<State>
    let workersCount: Int
    let pool: NIOThreadPool

    init(
        workersCount: Int = System.coreCount, queueDepthPerKeyMax: Int = Limits.bcryptQueueDepthPerKeyMax,
        queuedJobsCountMax: Int = Limits.bcryptQueuedJobsCountMax, pool: NIOThreadPool = .singleton
    ) {
        precondition(workersCount >= 1, "bcrypt needs a worker")
        self.workersCount = workersCount
        self.pool = pool
        self.state = Mutex(State(queue: FairQueue(depthPerKeyMax: queueDepthPerKeyMax, countMax: queuedJobsCountMax)))
    }

    /// `work`'s result, computed on a worker once `key`'s turn comes; 429 at once when `key`'s queue is full.
    func run<T: Sendable>(key: String, _ work: @escaping @Sendable () -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job { state in
                switch state {
                case .active: continuation.resume(returning: work())
                case .cancelled: continuation.resume(throwing: NIOThreadPoolError.ThreadPoolInactive())
                }
            }
            let workersCount = self.workersCount
            let (startsNow, queued) = state.withLock { state -> (Bool, Bool) in
                guard state.runningCount < workersCount else { return (false, state.queue.enqueue(job, key: key)) }
                precondition(state.queue.count == 0, "a worker idle while jobs wait")
                state.runningCount += 1
                return (true, false)
            }
            if startsNow {
                launch(job)
            } else if !queued {
                continuation.resume(throwing: APIError.rateLimited(retryAfterMs: Limits.bcryptQueueRetryAfterMs))
            }
        }
    }

    /// One worker: runs `job`, then the queued jobs in turn until none waits.
    private func launch(_ job: Job) {
        pool.submit { [self] state in
            var current = job
            while true {
                current.start(state)
                guard let next = self.next() else { return }
                current = next
            }
        }
    }

    /// The next queued job for a worker that finished one, or nil (and the worker is free).
    private func next() -> Job? {
        state.withLock { state in
            if let job = state.queue.dequeue() { return job }
            state.runningCount -= 1
            precondition(state.runningCount >= 0, "more workers freed than started")
            return nil
        }
    }

    /// Jobs waiting for a worker.
    var queuedCount: Int { state.withLock { $0.queue.count } }

    /// Workers busy.
    var runningCount: Int { state.withLock { $0.runningCount } }
}
