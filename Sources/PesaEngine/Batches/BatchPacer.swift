import Foundation

/// Spaces out sends at `rowsPerSecond`: each `wait()` takes the next free slot and sleeps until it. A pacer
/// shared by every organization keeps the gateway within Daraja's pace; one per organization within its rate
/// limit. Slots missed while idle are not saved up (no burst after a pause).
public actor BatchPacer {
    private let intervalNs: UInt64
    private var nextNs: UInt64 = 0

    public init(rowsPerSecond: Double) {
        intervalNs = UInt64(1_000_000_000 / max(rowsPerSecond, 0.001))
    }

    public func wait() async {
        let now = DispatchTime.now().uptimeNanoseconds
        let slot = max(now, nextNs)
        nextNs = slot + intervalNs
        if slot > now { try? await Task.sleep(nanoseconds: slot - now) }
    }
}
