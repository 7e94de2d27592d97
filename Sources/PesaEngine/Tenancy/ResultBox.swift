import Synchronization

/// A one-shot result that tasks can wait for (any number of them) while another task fills it in.
final class ResultBox<Value: Sendable>: Sendable {
    private enum Slot {
        case empty
        case waiting([CheckedContinuation<Result<Value, EngineError>, Never>])
        case filled(Result<Value, EngineError>)
    }

    private let slot = Mutex<Slot>(.empty)

    func fill(_ result: Result<Value, EngineError>) {
        let waiters = slot.withLock { slot -> [CheckedContinuation<Result<Value, EngineError>, Never>] in
            switch slot {
            case .empty:
                slot = .filled(result)
                return []
            case .waiting(let continuations):
                slot = .filled(result)
                return continuations
            case .filled:
                preconditionFailure("a result box is filled once")
            }
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }

    func value() async -> Result<Value, EngineError> {
        await withCheckedContinuation { continuation in
            let ready = slot.withLock { slot -> Result<Value, EngineError>? in
                switch slot {
                case .empty:
                    slot = .waiting([continuation])
                    return nil
                case .filled(let result):
                    return result
                case .waiting(var continuations):
                    // Several callers may wait for one result (a tenant being opened or unloaded).
                    continuations.append(continuation)
                    slot = .waiting(continuations)
                    return nil
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
