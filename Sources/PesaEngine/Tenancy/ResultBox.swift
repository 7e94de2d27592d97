import Synchronization

/// A one-shot result that a task can wait for while another task fills it in.
final class ResultBox<Value: Sendable>: Sendable {
    private enum Slot {
        case empty
        case waiting(CheckedContinuation<Result<Value, EngineError>, Never>)
        case filled(Result<Value, EngineError>)
    }

    private let slot = Mutex<Slot>(.empty)

    func fill(_ result: Result<Value, EngineError>) {
        let waiter = slot.withLock { slot -> CheckedContinuation<Result<Value, EngineError>, Never>? in
            switch slot {
            case .empty:
                slot = .filled(result)
                return nil
            case .waiting(let continuation):
                slot = .filled(result)
                return continuation
            case .filled:
                preconditionFailure("a result box is filled once")
            }
        }
        waiter?.resume(returning: result)
    }

    func value() async -> Result<Value, EngineError> {
        await withCheckedContinuation { continuation in
            let ready = slot.withLock { slot -> Result<Value, EngineError>? in
                switch slot {
                case .empty:
                    slot = .waiting(continuation)
                    return nil
                case .filled(let result):
                    return result
                case .waiting:
                    preconditionFailure("one waiter per result box")
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
