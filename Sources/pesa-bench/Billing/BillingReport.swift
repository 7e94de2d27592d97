import Foundation

/// The billing benchmark's answer: a table for BENCHMARKS.md and one `BILLING key=value …` line for scripts.
struct BillingReport {
    let organizations: Int
    let payments: Int
    let month: String
    let measured: BillingMeasurement

    func print() {
        let m = measured
        let total = organizations * payments
        let baseline = "walk of every payment table: \(ms(m.baselineMs))"
        Swift.print("")
        Swift.print("Billing run of \(month): \(organizations) organizations × \(payments) payments (\(total) in all)")
        Swift.print("")
        Swift.print("| measurement | value | baseline (same run) | ratio |")
        Swift.print("|---|---:|---:|---:|")
        Swift.print("| open: Gateway.start | \(ms(m.startMs)) | | |")
        Swift.print("| open: first touch of every organization | \(ms(m.touchMs)) | | |")
        Swift.print(
            "| billing run, finalized (\(m.finalized) invoices) | \(ms(m.runMs)) | \(baseline) | "
                + "\(ratio(m.runMs, m.baselineMs)) |")
        Swift.print(
            "| billing run, against the disk | \(ms(m.runMs)) | \(3 * m.finalized + 1) raw fdatasyncs one after "
                + "another: \(ms(m.rawCommitsMs)) | \(ratio(m.runMs, m.rawCommitsMs)) |")
        Swift.print(
            "| second run of the month (\(m.unchanged) unchanged) | \(ms(m.rerunMs)) | \(baseline) | "
                + "\(ratio(m.rerunMs, m.baselineMs)) |")
        Swift.print(
            "| peak resident memory (VmHWM) | \(m.peakMB) MB | every organization open: \(m.loadedMB) MB | "
                + "\(ratio(Double(m.peakMB), Double(m.loadedMB))) |")
        Swift.print(
            "| journal bytes, billing run | \(m.tenantBytes + m.systemBytes) (tenants \(m.tenantBytes), system "
                + "\(m.systemBytes)) | | |")
        Swift.print(
            "| journal bytes, second run | \(m.rerunTenantBytes + m.rerunSystemBytes) (tenants "
                + "\(m.rerunTenantBytes), system \(m.rerunSystemBytes)) | | |")
        Swift.print("")
        Swift.print(
            "Baseline walks: \(ms(m.baselineBeforeMs)) before the runs, \(ms(m.baselineAfterMs)) after; raw "
                + "write+fdatasync of 1 KiB: \(String(format: "%.0f", m.rawSyncsPerSecond))/s; resident after "
                + "Gateway.start: \(m.startedMB) MB.")
        Swift.print(
            "BILLING organizations=\(organizations) payments=\(payments) month=\(month) "
                + "run_ratio=\(ratio(m.runMs, m.baselineMs)) run_sync_ratio=\(ratio(m.runMs, m.rawCommitsMs)) "
                + "rerun_ratio=\(ratio(m.rerunMs, m.baselineMs)) \(m.line)")
    }

    private func ms(_ value: Double) -> String { "\(BillingMeasurement.ms(value)) ms" }

    private func ratio(_ value: Double, _ baseline: Double) -> String {
        String(format: "%.2f", value / max(baseline, 0.001))
    }
}
