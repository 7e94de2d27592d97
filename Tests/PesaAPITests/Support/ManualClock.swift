import PesaAPI
import Synchronization

/// Wall-clock time that only tests move.
final class ManualClock: Sendable {
    private let ms: Mutex<Int64>

    init(ms: Int64 = 1_790_000_000_000) {
        self.ms = Mutex(ms)
    }

    var nowMs: Int64 { ms.withLock { $0 } }

    func advance(ms delta: Int64) { ms.withLock { $0 += delta } }

    var clock: APIClock { APIClock { [self] in self.nowMs } }
}
