import Dispatch
import Foundation

/// Runs blocking file work off Swift's cooperative thread pool (which has one thread per core here).
enum BlockingIO {
    private static let queue = DispatchQueue(label: "pesa.store.blocking", attributes: .concurrent)

    static func run<Value: Sendable>(
        _ work: @escaping @Sendable () throws(StoreError) -> Value
    ) async throws(StoreError) -> Value {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, StoreError>, Never>) in
            queue.async {
                continuation.resume(returning: Result { () throws(StoreError) in try work() })
            }
        }
        return try result.get()
    }

    /// Runs `work` on the queue without waiting for it.
    static func detached(_ work: @escaping @Sendable () -> Void) {
        queue.async(execute: work)
    }

    /// Runs `work` on a thread of its own without waiting for it, paced to a share of one core (`Pacing`): for
    /// maintenance (automatic snapshots, compaction) that must not take CPU from requests. The thread also runs
    /// at the lowest priority (`maintenanceNice`), so that a request thread waking up takes the core from it
    /// at once instead of waiting for the end of its stretch.
    static func detachedInBackground(_ work: @escaping @Sendable () -> Void) {
        let thread = Thread {
            // Named from inside: on Linux, Foundation gives the OS thread a name set before `start` only in
            // `Thread.current.name`, and the OS keeps 15 bytes (`top -H`, /proc/PID/task/TID/comm).
            Thread.current.name = maintenanceThreadName
            lowerCurrentThreadPriority()
            Pacing.paced { work() }
        }
        thread.start()
    }

    /// The OS name of maintenance threads.
    static let maintenanceThreadName = "pesa-maintain"

    /// The nice value of maintenance threads: the lowest priority.
    static let maintenanceNice: Int32 = 19

    /// Gives the calling thread the maintenance priority. On Linux the nice value belongs to a thread, and
    /// `setpriority` with `who` 0 sets the calling thread's. A failure (none is expected for lowering it)
    /// leaves the thread at its priority, paced all the same.
    static func lowerCurrentThreadPriority() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, maintenanceNice)
        #endif
    }
}
