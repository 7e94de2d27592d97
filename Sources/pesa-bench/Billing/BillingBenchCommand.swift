import ArgumentParser
import Foundation
import PesaCLI
import PesaCore

/// The month's billing run over N organizations of P payments each: time and peak memory.
struct BillingBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing",
        abstract: "Time and peak memory of the month's billing run over N organizations of P payments each.",
        discussion: """
            Builds the fixture in --data once per size (reused when present): N organizations on paid plans, each
            with P STK pushes and payouts over the last ended Kenya month, as snapshots. Then, in a fresh process
            on a copy of it: Gateway.start, the first touch of every organization, the billing run of that month
            (finalized at once), a second run of the same month (which must change nothing), peak resident memory
            (VmHWM) and the journal bytes each run wrote, next to a baseline measured in the same run: one walk of
            every organization's payment table (its month's usage), before and after the runs.
            """)

    @Option(help: "Organizations.")
    var orgs: Int = 1_000

    @Option(help: "Payments of each organization, over the billed month.")
    var payments: Int = 10_000

    @Option(help: "Scratch folder: the fixture of each size is built in it once; each run bills a copy.")
    var data: String = "./.bench-scratch/billing"

    /// The copy to measure on, in the measuring child.
    @Option(help: .hidden)
    var child: String?

    @Option(help: .hidden)
    var month: String?

    func run() async throws {
        guard orgs > 0, payments > 0 else { throw CLIError("--orgs and --payments must be at least 1") }
        if let child, let month {
            let measured = try await BillingMeasuring(
                root: child, month: month, organizations: orgs, payments: payments
            ).measure()
            print("RESULT \(measured.line)")
            return
        }
        let fixture = data + "/fixture-\(orgs)x\(payments)"
        let month = try await prepareFixture(fixture)
        let copy = data + "/run-\(orgs)x\(payments)"
        let files = FileManager.default
        if files.fileExists(atPath: copy) { try files.removeItem(atPath: copy) }
        try files.copyItem(atPath: fixture + "/data", toPath: copy)
        defer { try? files.removeItem(atPath: copy) }
        let measured = try measureInChild(copy: copy, month: month)
        BillingReport(organizations: orgs, payments: payments, month: month, measured: measured).print()
    }

    /// The fixture's billed month, building the fixture first unless a complete one is there.
    private func prepareFixture(_ fixture: String) async throws -> String {
        let marker = fixture + "/fixture.txt"
        let files = FileManager.default
        if let text = try? String(contentsOfFile: marker, encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("month=") })
        {
            let month = String(line.dropFirst("month=".count))
            print("reusing the fixture in \(fixture) (\(orgs) organizations × \(payments) payments in \(month))")
            return month
        }
        if files.fileExists(atPath: fixture) { try files.removeItem(atPath: fixture) }
        try files.createDirectory(atPath: fixture, withIntermediateDirectories: true)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        guard let month = KenyaTime.month(before: KenyaTime.monthKey(ms: now)) else {
            throw CLIError("no month before now")
        }
        print("building the fixture in \(fixture): \(orgs) organizations × \(payments) payments in \(month)")
        let clock = ContinuousClock()
        let start = clock.now
        try await BillingFixture(organizations: orgs, payments: payments, month: month).build(root: fixture + "/data")
        // Written last: a fixture without it is incomplete and built again.
        let text = "month=\(month)\norganizations=\(orgs)\npayments=\(payments)\n"
        guard files.createFile(atPath: marker, contents: Data(text.utf8)) else {
            throw CLIError("cannot write \(marker)")
        }
        print("fixture built in \(String(format: "%.1f", (clock.now - start).seconds)) s")
        return month
    }

    private func measureInChild(copy: String, month: String) throws -> BillingMeasurement {
        let process = Process()
        process.executableURL = PesaExecutable.this
        process.arguments = [
            "billing", "--orgs", String(orgs), "--payments", String(payments), "--child", copy, "--month", month,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") })
        else { throw CLIError("the measuring process failed (status \(process.terminationStatus)): \(text)") }
        return try BillingMeasurement(line: line.dropFirst("RESULT ".count))
    }
}
