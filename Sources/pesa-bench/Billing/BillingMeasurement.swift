import Foundation
import PesaCLI
import PesaCore
import PesaEngine
import PesaStore

/// What one billing benchmark measured, in one process: opening the gateway and every tenant, two runs of the
/// month's billing, the same-run baselines (a walk of every tenant's payment table, before and after the runs;
/// the disk's raw write+fdatasync rate), memory and the journal bytes each run wrote. Passed from the measuring
/// child to the parent as one line.
struct BillingMeasurement {
    var startMs = 0.0
    var touchMs = 0.0
    var baselineBeforeMs = 0.0
    var baselineAfterMs = 0.0
    var runMs = 0.0
    var rerunMs = 0.0
    /// Raw write+fdatasync of one 1 KiB line, per second, in the data folder (`RawSyncLimit`).
    var rawSyncsPerSecond = 0.0
    /// Resident memory after `Gateway.start`, after every tenant was opened, and the process's peak (VmHWM).
    var startedMB = 0
    var loadedMB = 0
    var peakMB = 0
    /// Journal bytes the first run wrote: the tenants' journals and `system/`'s.
    var tenantBytes = 0
    var systemBytes = 0
    /// The second run's (the tenants' must be 0).
    var rerunTenantBytes = 0
    var rerunSystemBytes = 0
    var finalized = 0
    var unchanged = 0
    var payments = 0

    var baselineMs: Double { (baselineBeforeMs + baselineAfterMs) / 2 }

    /// The first run's durable commits (each organization's draft, number and final invoice, and the run's
    /// audit line), one after another, at the raw fdatasync rate.
    var rawCommitsMs: Double { Double(3 * finalized + 1) / max(rawSyncsPerSecond, 0.001) * 1000 }

    private var fields: [(String, String)] {
        [
            ("start_ms", Self.ms(startMs)), ("touch_ms", Self.ms(touchMs)),
            ("baseline_before_ms", Self.ms(baselineBeforeMs)), ("baseline_after_ms", Self.ms(baselineAfterMs)),
            ("run_ms", Self.ms(runMs)), ("rerun_ms", Self.ms(rerunMs)),
            ("raw_syncs_per_s", String(format: "%.0f", rawSyncsPerSecond)), ("started_mb", "\(startedMB)"),
            ("loaded_mb", "\(loadedMB)"), ("peak_mb", "\(peakMB)"), ("tenant_bytes", "\(tenantBytes)"),
            ("system_bytes", "\(systemBytes)"), ("rerun_tenant_bytes", "\(rerunTenantBytes)"),
            ("rerun_system_bytes", "\(rerunSystemBytes)"), ("finalized", "\(finalized)"),
            ("unchanged", "\(unchanged)"), ("payments_total", "\(payments)"),
        ]
    }

    /// `key=value` pairs, space separated.
    var line: String { fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ") }

    init() {}

    /// Reads `line`'s output back.
    init(line: Substring) throws {
        var values: [String: String] = [:]
        for pair in line.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        func double(_ key: String) throws -> Double {
            guard let value = values[key].flatMap(Double.init) else { throw CLIError("no \(key) in: \(line)") }
            return value
        }
        func int(_ key: String) throws -> Int { Int(try double(key)) }
        startMs = try double("start_ms")
        touchMs = try double("touch_ms")
        baselineBeforeMs = try double("baseline_before_ms")
        baselineAfterMs = try double("baseline_after_ms")
        runMs = try double("run_ms")
        rerunMs = try double("rerun_ms")
        rawSyncsPerSecond = try double("raw_syncs_per_s")
        (startedMB, loadedMB, peakMB) = (try int("started_mb"), try int("loaded_mb"), try int("peak_mb"))
        (tenantBytes, systemBytes) = (try int("tenant_bytes"), try int("system_bytes"))
        (rerunTenantBytes, rerunSystemBytes) = (try int("rerun_tenant_bytes"), try int("rerun_system_bytes"))
        (finalized, unchanged, payments) = (try int("finalized"), try int("unchanged"), try int("payments_total"))
    }

    static func ms(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// The measurement itself, run in a fresh process on a copy of the fixture: every figure of
/// `BillingMeasurement`, and the checks that make the figures mean something (every payment of the fixture
/// counted, every invoice finalized by the first run and left alone by the second).
struct BillingMeasuring {
    let root: String
    let month: String
    let organizations: Int
    let payments: Int

    /// Who runs the billing: a super admin, as `POST /v1/admin/billing/runs` is.
    static func superAdmin() throws -> Actor {
        Actor(principal: try Principal(role: .superAdmin, organizationID: nil), id: "usr_bench", requestID: "bench")
    }

    func measure() async throws -> BillingMeasurement {
        var result = BillingMeasurement()
        let clock = ContinuousClock()
        var mark = clock.now
        func lap() -> Double {
            let now = clock.now
            defer { mark = now }
            return (now - mark).seconds * 1000
        }
        let gateway = try await Gateway.start(
            data: DataDirectory(root: root), masterKey: BillingFixture.masterKey, logger: CLI.quietLogger)
        result.startMs = lap()
        result.startedMB = OpenTenantBenchCommand.residentMB(field: "VmRSS")
        let organizations = gateway.registry.listings.compactMap { try? OrganizationID(parsing: $0.id) }
        guard organizations.count == self.organizations else {
            throw CLIError("the gateway found \(organizations.count) organizations, not \(self.organizations)")
        }
        mark = clock.now
        var engines: [TenantEngine] = []
        for organization in organizations { engines.append(try await gateway.engine(organization)) }
        result.touchMs = lap()
        result.loadedMB = OpenTenantBenchCommand.residentMB(field: "VmRSS")
        result.payments = try await walk(engines) { state in state.payments.count }
        guard result.payments == self.organizations * payments else {
            throw CLIError("the tenants hold \(result.payments) payments, not \(self.organizations * payments)")
        }
        result.baselineBeforeMs = try await baseline(engines, clock: clock)
        let rawPath = root + "/raw-sync.bench"
        result.rawSyncsPerSecond = try RawSyncLimit.measure(path: rawPath, linesPerSync: 1, lineBytes: 1024, seconds: 1)
        try FileManager.default.removeItem(atPath: rawPath)

        let before = try JournalBytes(root: root)
        mark = clock.now
        let run = try await gateway.runBilling(month: month, finalizeNow: true, by: try Self.superAdmin())
        result.runMs = lap()
        let afterRun = try JournalBytes(root: root)
        (result.tenantBytes, result.systemBytes) = afterRun.since(before)
        result.finalized = try checkFirst(run)

        mark = clock.now
        let rerun = try await gateway.runBilling(month: month, finalizeNow: true, by: try Self.superAdmin())
        result.rerunMs = lap()
        (result.rerunTenantBytes, result.rerunSystemBytes) = try JournalBytes(root: root).since(afterRun)
        result.unchanged = rerun.organizations.filter { $0.action == .unchanged }.count
        guard result.unchanged == self.organizations, result.rerunTenantBytes == 0 else {
            let actions = Dictionary(grouping: rerun.organizations, by: \.action.rawValue).mapValues(\.count)
            throw CLIError(
                "the second run of \(month) changed invoices: \(actions), \(result.rerunTenantBytes) tenant "
                    + "journal bytes written")
        }
        result.baselineAfterMs = try await baseline(engines, clock: clock)
        result.peakMB = OpenTenantBenchCommand.residentMB(field: "VmHWM")
        await gateway.close()
        return result
    }

    /// The first run finalized one invoice per organization, counting every payment of the month.
    private func checkFirst(_ run: BillingRun) throws -> Int {
        guard run.finalized else { throw CLIError("the run of \(month) did not finalize it") }
        for billed in run.organizations {
            let transactions = billed.invoice?.lines.first { $0.item == "transactions" }
            guard billed.action == .finalized, billed.invoice?.number != nil, transactions?.used == Int64(payments)
            else {
                throw CLIError(
                    "\(billed.slug): \(billed.action.rawValue), \(transactions?.used ?? 0) transactions invoiced, "
                        + "not \(payments)")
            }
        }
        return run.organizations.count
    }

    /// One walk of every tenant's payment table: the month's usage (`TenantState.usage(month:)`), which looks
    /// at each payment as the invoice's transaction count does, and more.
    private func baseline(_ engines: [TenantEngine], clock: ContinuousClock) async throws -> Double {
        let month = self.month
        let start = clock.now
        let started = try await walk(engines) { state in
            guard let usage = state.usage(month: month) else { return 0 }
            return Int(usage.count(.stkPushes).count + usage.count(.payouts).count)
        }
        let ms = (clock.now - start).seconds * 1000
        guard started == organizations * payments else {
            throw CLIError("the month's usage counts \(started) payments, not \(organizations * payments)")
        }
        return ms
    }

    /// `count` of every tenant's state, summed.
    private func walk(_ engines: [TenantEngine], _ count: @escaping @Sendable (TenantState) -> Int)
        async throws -> Int
    {
        var total = 0
        for engine in engines { total += try await engine.read { state in count(state) } }
        return total
    }
}

/// The sizes of the journal segments of a data folder: every tenant's, and `system/`'s.
struct JournalBytes {
    var tenants = 0
    var system = 0

    init(root: String) throws {
        let files = FileManager.default
        system = try Self.size(of: root + "/system/" + TenantLayout.journal, files: files)
        for tenant in try files.contentsOfDirectory(atPath: root + "/tenants") where !tenant.hasPrefix(".") {
            tenants += try Self.size(of: root + "/tenants/" + tenant + "/" + TenantLayout.journal, files: files)
        }
    }

    /// What was written since `earlier`: the tenants' bytes and the system's.
    func since(_ earlier: JournalBytes) -> (Int, Int) { (tenants - earlier.tenants, system - earlier.system) }

    private static func size(of directory: String, files: FileManager) throws -> Int {
        var total = 0
        for name in try files.contentsOfDirectory(atPath: directory) {
            let attributes = try files.attributesOfItem(atPath: directory + "/" + name)
            total += (attributes[.size] as? NSNumber)?.intValue ?? 0
        }
        return total
    }
}
