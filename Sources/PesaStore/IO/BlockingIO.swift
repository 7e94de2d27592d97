import Dispatch

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
}
