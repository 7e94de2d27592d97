public import PesaCore
public import ServiceLifecycle
import Synchronization

/// API calls per organization, counted in memory and journaled as `usage.recorded` increments by
/// `APICallFlusher` every `Limits.apiCallFlushEveryMs` and at shutdown: a crash loses at most that window's
/// calls (data-layout.md).
public final class APICallMeter: Sendable {
    struct Key: Hashable {
        let organization: OrganizationID
        /// The Kenya month the calls were made in.
        let month: String
    }

    private let pending = Mutex<[Key: Int64]>([:])

    public init() {}

    /// One call of `organization` at `nowMs` (an authenticated request it made, not refused by its rate limit).
    public func count(_ organization: OrganizationID, nowMs: Int64) {
        let key = Key(organization: organization, month: KenyaTime.monthKey(ms: nowMs))
        pending.withLock { $0[key, default: 0] += 1 }
    }

    /// Calls of `organization` in `month` counted but not journaled yet.
    func pending(_ organization: OrganizationID, month: String) -> Int64 {
        pending.withLock { $0[Key(organization: organization, month: month)] ?? 0 }
    }

    func take() -> [Key: Int64] {
        pending.withLock { pending in
            defer { pending = [:] }
            return pending
        }
    }

    /// Gives back counts whose journaling failed, to be tried at the next flush.
    func restore(_ counts: [Key: Int64]) {
        pending.withLock { pending in
            for (key, count) in counts { pending[key, default: 0] += count }
        }
    }
}

extension Gateway {
    /// Journals the API calls counted since the last flush: one `usage.recorded` per organization and Kenya
    /// month the calls were made in.
    public func flushAPICalls() async {
        let counts = apiCalls.take()
        guard !counts.isEmpty else { return }
        var failed: [APICallMeter.Key: Int64] = [:]
        for (key, count) in counts {
            do {
                try await engine(key.organization).execute { (_, _) throws(EngineError) in
                    Decision(events: [.usageRecorded(.init(month: key.month, apiCalls: count))], value: ())
                }
            } catch {
                failed[key] = count
            }
        }
        if !failed.isEmpty { apiCalls.restore(failed) }
    }
}

/// Flushes the API call meter every `everyMs`, and once more at shutdown.
public struct APICallFlusher: Service {
    let gateway: Gateway
    let everyMs: Int64

    public init(gateway: Gateway, everyMs: Int64 = Limits.apiCallFlushEveryMs) {
        self.gateway = gateway
        self.everyMs = everyMs
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(everyMs)) }
            await gateway.flushAPICalls()
        }
        await gateway.flushAPICalls()
    }
}
