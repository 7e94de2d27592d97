import Foundation

/// Keeps background maintenance (automatic snapshots, compaction) to a share of one core.
///
/// Unpaced at normal priority, a snapshot and its compaction raised the push p99 at 1,000 payments/s from
/// 16 ms to over 100 ms, so maintenance ran at nice 19. But on a 2-core machine busy with requests that
/// thread can be starved for seconds (a snapshot and its compaction took 12 to 15 s instead of about 1.5 in
/// some runs at 1,000 payments/s), so a snapshot may never finish under sustained load; and a starved thread
/// preempted while it holds one of glibc's internal locks (a malloc arena's) makes every request thread that
/// needs that lock wait for it. Seen with `perf record -e sched:sched_switch`: waits on glibc's private locks
/// were 2.1 to 2.8 times as frequent during maintenance as outside it at nice 10 and 19, and 1.2 times at
/// nice 0. So the maintenance thread limits its CPU itself: the long loops (zlib,
/// in 1 MiB slices) call `pause()`, which sleeps after each stretch of work long enough to keep the thread at
/// `share` of one core. Elsewhere `pause()` does nothing. At 1,000 payments/s the seconds with maintenance
/// running had a median push p99 of 24 to 29 ms at a quarter of a core, 17 to 19 ms at a tenth (outside
/// them: 14 to 18 ms), so a tenth it is; a snapshot and its compaction then take about 4.5 s there. Paced
/// that way, the thread also runs at nice 19 again (`BlockingIO.detachedInBackground`): it no longer needs
/// the scheduler's share to finish, and within a stretch a waking request thread takes the core at once.
enum Pacing {
    /// The share of one core a paced thread may use.
    static let share = 0.1
    /// Work before a pause is considered.
    static let stretch = Duration.milliseconds(4)

    private final class Budget {
        var since = ContinuousClock.now
    }

    private static let key = "pesa.pacing"

    /// Runs `work` with pacing on for the current thread.
    static func paced<Value>(_ work: () throws -> Value) rethrows -> Value {
        let dictionary = Thread.current.threadDictionary
        dictionary[key] = Budget()
        defer { dictionary.removeObject(forKey: key) }
        return try work()
    }

    /// Bytes a paced loop handles between two `pause()` calls: zlib input, hashed payload, file bytes written
    /// and written back (`Gzip`, `ChainHash.ofPaced`, `PosixFileIO.writeInSyncedSlices`).
    static let sliceBytes = 1 << 20

    /// Whether the current thread is paced (runs maintenance).
    static var isActive: Bool { Thread.current.threadDictionary[key] is Budget }

    /// Sleeps if this thread is paced and has worked a stretch since its last pause; returns the sleep it
    /// asked for (zero if none).
    @discardableResult
    static func pause() -> Duration {
        guard let budget = Thread.current.threadDictionary[key] as? Budget else { return .zero }
        let worked = ContinuousClock.now - budget.since
        guard worked >= stretch else { return .zero }
        let sleep = worked * ((1 - share) / share)
        Thread.sleep(forTimeInterval: sleep / .seconds(1))
        budget.since = ContinuousClock.now
        return sleep
    }
}
