import Dispatch

/// Runs blocking work (waiting for a child process, reading its pipes to the end) on a thread of its own, so the
/// waiting never holds one of Swift concurrency's few cooperative threads. Tests run in parallel on that pool; a
/// test that blocked it for a benchmark's length would stall every other test's event handling and timers.
public enum Blocking {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    public static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(returning: body()) }
        }
    }
}
