import Synchronization

/// The port a server listens on, known once it runs (useful with port 0). The sandbox's, and that of
/// small loopback servers beside it in tests and benchmarks.
public final class BoundPort: Sendable {
    private struct State {
        var port: Int?
        var finished = false
        var waiters: [CheckedContinuation<Int?, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func set(_ port: Int) {
        let waiters = state.withLock { state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    /// The server stopped: wake whoever still waits.
    public func finish() {
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    public func wait() async -> Int? {
        await withCheckedContinuation { continuation in
            let ready: Int?? = state.withLock { state in
                if let port = state.port { return .some(port) }
                if state.finished { return .some(nil) }
                state.waiters.append(continuation)
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
