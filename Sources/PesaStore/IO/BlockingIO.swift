import Dispatch
import Foundation

/// Runs blocking file work off Swift's cooperative thread pool (which has one thread per core here).
enum BlockingIO {
    private static let queue = DispatchQueue(label: "pesa.store.blocking", attributes: .concurrent)

    static func run<Value: Sendable>(
        _ work: @escaping @Sendable () throws(StoreError) -> Value
    ) async throws(StoreError) -> Value {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Value, StoreError>, Never>) in
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
            nameCurrentThread(maintenanceThreadName)
            lowerCurrentThreadPriority()
            Pacing.paced { work() }
        }
        thread.start()
    }

    /// The OS name of maintenance threads.
    static let maintenanceThreadName = "pesa-maintain"

    /// Names the calling thread for the OS (`top -H`, /proc/PID/task/TID/comm keep 15 bytes). On Linux,
    /// Foundation gives the OS a name set before `start` only in `Thread.current.name`, and one set from inside
    /// the thread is lost when the thread runs before `start` has recorded it (seen: the thread kept its
    /// creator's name in 1 of 26 test runs). So the thread writes its name where the OS keeps it (Swift's
    /// Glibc module has no `pthread_setname_np`, and `prctl` is variadic). Failing leaves the old name.
    static func nameCurrentThread(_ name: String) {
        #if os(Linux)
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        #else
        Thread.current.name = name
        #endif
    }

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
