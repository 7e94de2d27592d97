import PesaCore
import Synchronization

/// First answers that hold a secret (an API key's key), kept in memory only, for the same caller's retry
/// with the same `Idempotency-Key` and body: such an answer is never written to disk (the key is shown
/// once and stored hashed). So a retry gets the first answer for as long as this process runs, within
/// the idempotency window, and after a restart a 409 naming what was made (`Gateway.createAPIKey`).
/// Bounded: past `countMax` answers, the oldest are forgotten first.
final class SecretAnswers: Sendable {
    /// A first answer and the id of what it created (to see whether it still stands).
    struct Answer: Equatable {
        let bytes: [UInt8]
        let resourceID: String
    }

    private struct Entry {
        let answer: Answer
        let atMs: Int64
    }

    private let entries = Mutex<(byKey: [String: Entry], order: [String])>(([:], []))
    let countMax: Int
    let windowMs: Int64

    init(countMax: Int = Limits.secretAnswersCountMax, windowMs: Int64 = Limits.idempotencyWindowMs) {
        self.countMax = countMax
        self.windowMs = windowMs
    }

    /// The key of one caller's request: organization, caller, `Idempotency-Key` and request hash.
    static func key(_ parts: String...) -> String { parts.joined(separator: "\n") }

    func answer(for key: String, nowMs: Int64) -> Answer? {
        entries.withLock { entries in
            guard let entry = entries.byKey[key], nowMs - entry.atMs < windowMs else { return nil }
            return entry.answer
        }
    }

    func keep(_ answer: Answer, for key: String, nowMs: Int64) {
        entries.withLock { entries in
            if entries.byKey.updateValue(Entry(answer: answer, atMs: nowMs), forKey: key) == nil {
                entries.order.append(key)
            }
            while entries.order.count > countMax {
                entries.byKey[entries.order.removeFirst()] = nil
            }
        }
    }
}
