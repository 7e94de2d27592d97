import PesaCore

/// The outcome of the last write probe of the data folder, reused for `Limits.readinessProbeCacheMs`: a load
/// balancer asking many times a second causes at most one small write and fsync a second. Callers that ask
/// while a probe runs wait for that probe instead of starting another (two probes would race on one file).
actor WritableProbe {
    private var last: (atMs: Int64, failure: String?)?
    private var running: Task<String?, Never>?

    /// nil when the folder took the write; else why not, for an operator.
    func failure(nowMs: Int64, probe: @escaping @Sendable () async -> String?) async -> String? {
        if let last, nowMs >= last.atMs, nowMs - last.atMs < Limits.readinessProbeCacheMs { return last.failure }
        if let running { return await running.value }
        let task = Task { await probe() }
        running = task
        let failure = await task.value
        running = nil
        last = (nowMs, failure)
        return failure
    }
}
