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
    /// maintenance (automatic snapshots, compaction) that must not take CPU from requests.
    static func detachedInBackground(_ work: @escaping @Sendable () -> Void) {
        let thread = Thread {
            Pacing.paced { work() }
        }
        thread.name = "pesa.maintenance"
        thread.start()
    }
}
