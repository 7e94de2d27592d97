import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// Runs `work` on a thread of its own at the lowest CPU priority (nice 19), without waiting for it: for
    /// maintenance (automatic snapshots, compaction) that must not take CPU from requests. On a 2-core machine
    /// at 1,000 payments/s a snapshot and its compaction at normal priority raised the push p99 from 16 ms to
    /// over 100 ms. Linux keeps nice values per thread, and the thread ends with the work, so no pool thread is
    /// left slowed.
    static func detachedInBackground(_ work: @escaping @Sendable () -> Void) {
        let thread = Thread {
            #if canImport(Glibc)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            #endif
            work()
        }
        thread.name = "pesa.maintenance"
        thread.start()
    }
}
