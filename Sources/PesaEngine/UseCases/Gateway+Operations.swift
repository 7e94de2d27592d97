import Crypto
import PesaStore
public import PesaCore

/// Whether the instance can serve every organization now (`GET /readyz`).
public enum Readiness: Sendable, Equatable {
    case ready
    /// The data folder does not take writes (full, read-only, failing) or the `system/` folder is not open.
    case storageUnavailable(reason: String)
    /// Some organizations take no requests: fenced after a failed integrity check, or unreadable at start-up.
    case tenantsFenced(reason: String)
}

extension Gateway {
    /// Ready: the data folder takes a durable write (probed at most once per `Limits.readinessProbeCacheMs`),
    /// the `system/` folder is open, and no tenant is fenced (tenants load on demand; one fenced after a failed
    /// integrity check, or whose folder could not be read at start-up, makes the instance not ready).
    public func readiness() async -> Readiness {
        let data = registry.data
        let failure = await writableProbe.failure(nowMs: clock.nowMs()) {
            do throws(StoreError) {
                try await data.probeWritable()
                return nil
            } catch {
                return Self.describeProbeFailure(error, root: data.root)
            }
        }
        if let failure { return .storageUnavailable(reason: failure) }
        guard (try? await system.read { _ in true }) == true else {
            return .storageUnavailable(reason: "the instance's system/ folder is not open")
        }
        let fenced = registry.fencedTenants
        guard fenced.isEmpty else {
            let list = fenced.map { "\($0.id) (\($0.reason))" }.joined(separator: "; ")
            return .tenantsFenced(reason: "fenced organizations (`pesa verify` names the damage): \(list)")
        }
        return .ready
    }

    static func describeProbeFailure(_ error: StoreError, root: String) -> String {
        let cause = error.cause as? FileIOError
        switch cause?.errno {
        case 28, 122: return "the data folder \(root) is full: \(error.message)"
        case 30: return "the data folder \(root) is read-only: \(error.message)"
        case 13, 1: return "the data folder \(root) may not be written (permissions): \(error.message)"
        default: return "the data folder \(root) does not take writes: \(error.message)"
        }
    }

    /// The organization's rate limit in force, burst resolved (`Plan.effectiveRateLimit`): nil for an
    /// organization unknown here or whose plan the instance no longer has (then only an override applies).
    public func rateLimit(of organization: OrganizationID) async throws -> RateLimit? {
        guard let record = try await engine(organization).accessView.organization else { return nil }
        return effectiveRateLimit(of: record)
    }

    /// `record`'s rate limit in force (see `rateLimit(of:)`).
    func effectiveRateLimit(of record: OrganizationRecord) -> RateLimit? {
        let override = record.rateLimitOverrideLimit
        if let plan = planCatalog.plan(record.plan) { return plan.effectiveRateLimit(override: override) }
        return override.map { RateLimit(perMinute: $0.perMinute, burst: $0.capacity) }
    }
}

extension Gateway {
    /// The key that signs login JWTs: derived from the master key, so restarts keep everyone logged in and
    /// rotating the master key logs everyone out.
    public func jwtSigningKey() -> [UInt8] {
        masterKey.derivedKey(purpose: "jwt-signing", context: "pesa-gateway").withUnsafeBytes { Array($0) }
    }
}
