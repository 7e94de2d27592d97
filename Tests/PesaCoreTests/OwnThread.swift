import Foundation

/// Runs CPU-heavy work on a thread of its own and waits for it. Swift Testing runs a synchronous test on the
/// cooperative pool, which has as many threads as the machine has cores (two on CI): a test computing for seconds
/// there holds back every other test's tasks, and one waiting on a timeout meanwhile fails. A thread of its own
/// shares the cores through the kernel's scheduler instead. `work` records no issue (it runs outside the test's
/// task): it returns what the test then checks.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
