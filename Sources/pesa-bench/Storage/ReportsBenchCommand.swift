import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PesaCLI
import PesaCore

/// `pesa-bench reports`: the summary and the CSV export of an organization of N payments over a year, through a
/// real `pesa serve` on loopback, each next to a baseline measured in the same run. See BENCHMARKS.md.
struct ReportsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "Report summary latency and CSV export rate and memory over N payments (loopback), vs baselines.",
        discussion: """
            Builds a data folder under --directory (once; reused when present) holding an organization of \
            --payments settled STK pushes spread evenly over --days days (written as a snapshot, like open-tenant's \
            fixture), starts `pesa serve --demo` on it (the pesa beside this binary, or --pesa) and, as the super \
            admin, asks for that organization's reports. Summary: median of --samples GET /v1/reports/summary in \
            Kenya time (answered from the day aggregates), against the same summary with tz=+00:00 (a walk of every \
            row). CSV: one GET /v1/reports/transactions.csv read to the end, rows/s against paging GET \
            /v1/transactions?limit=500 over --list-rows rows; the server's peak resident memory during the export \
            (VmRSS sampled every 10 ms) against the idle server with the organization loaded.
            """)

    @Option(help: "Scratch folder (the fixture's data folder is kept in it).")
    var directory: String = "./.bench-scratch/reports"

    @Option(help: "The pesa executable to start (default: the one beside pesa-bench).")
    var pesa: String?

    @Option(help: "Payments of the organization.")
    var payments: Int = 1_000_000

    @Option(help: "Days the payments are spread over.")
    var days: Int = 365

    @Option(help: "Timed summaries per arm.")
    var samples: Int = 15

    @Option(help: "Rows the list baseline pages through.")
    var listRows: Int = 100_000

    static let organizationID = OrganizationID(randomBytes: [UInt8](repeating: 0x5E, count: 16)).rawValue

    func run() async throws {
        let fixture = SpreadPaymentsFixture(
            root: URL(fileURLWithPath: directory).standardizedFileURL.path, organizationID: Self.organizationID,
            payments: payments, days: days)
        try await fixture.prepare()
        try await fixture.serving(executable: pesa ?? PesaExecutable.besideThisOne) { gateway, http in
            try await measure(gateway, http: http)
        }
    }

    private func measure(_ gateway: BenchGateway, http: HTTPClient) async throws {
        let token = try await gateway.adminToken(http: http)
        let org = "org=\(Self.organizationID)"
        // `pesa serve` opens every organization at start (the reconciler's first visit): this one is loaded.
        let (status, first) = try await gateway.send(http, .GET, "/v1/reports/summary?\(org)", token: token)
        guard status == 200 else { throw CLIError("summary answered \(status): \(first)") }
        let answer = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        let count = (answer?["count"] as? Int).map(String.init) ?? "?"
        let idleMB = Self.residentMB(pid: gateway.processID)
        let buckets = try await medianMs(gateway, http, "/v1/reports/summary?\(org)", token: token)
        let walk = try await medianMs(gateway, http, "/v1/reports/summary?\(org)&tz=%2B00:00", token: token)
        let month = try await medianMs(
            gateway, http, "/v1/reports/summary?\(org)&from=2025-12-31T21:00:00Z&to=2026-01-31T21:00:00Z", token: token)
        let export = try await exportCSV(gateway, http: http, token: token)
        let list = try await pageList(gateway, http: http, token: token)
        print("| measurement | value | baseline (same run) | ratio |")
        print("|---|---:|---:|---:|")
        print("| summary of \(count) payments over \(days) days (Kenya days, aggregates): median of \(samples) | "
            + "\(Self.ms(buckets)) ms | same summary with tz=+00:00 (walk of every row): \(Self.ms(walk)) ms | "
            + "\(Self.ratio(buckets, walk)) |")
        print("| summary of one Kenya month (January 2026) | \(Self.ms(month)) ms | | |")
        print("| CSV export: \(export.rows) rows, \(export.bytes / 1_000_000) MB | "
            + "\(Int(Double(export.rows) / export.seconds)) rows/s (\(Self.ms(export.seconds * 1000)) ms) | "
            + "/v1/transactions?limit=500, \(list.rows) rows: \(Int(Double(list.rows) / list.seconds)) rows/s | "
            + "\(Self.ratio(Double(export.rows) / export.seconds, Double(list.rows) / list.seconds)) |")
        print("| CSV export: server peak RSS | \(export.peakMB) MB (+\(export.peakMB - idleMB) MB) | idle server, "
            + "organization loaded: \(idleMB) MB | \(Self.ratio(Double(export.peakMB), Double(idleMB))) |")
    }

    private func medianMs(_ gateway: BenchGateway, _ http: HTTPClient, _ path: String, token: String)
        async throws -> Double
    {
        let clock = ContinuousClock()
        var times: [Double] = []
        for _ in 0..<max(1, samples) {
            let start = clock.now
            let (status, body) = try await gateway.send(http, .GET, path, token: token)
            guard status == 200 else { throw CLIError("\(path) answered \(status): \(body)") }
            times.append((clock.now - start).inMilliseconds)
        }
        return times.sorted()[times.count / 2]
    }

    private func exportCSV(_ gateway: BenchGateway, http: HTTPClient, token: String) async throws
        -> (rows: Int, bytes: Int, seconds: Double, peakMB: Int)
    {
        let pid = gateway.processID
        let sampler = Task {
            var peak = 0
            while !Task.isCancelled {
                peak = max(peak, Self.residentMB(pid: pid))
                try? await Task.sleep(for: .milliseconds(10))
            }
            return peak
        }
        var request = HTTPClientRequest(
            url: gateway.baseURL + "/v1/reports/transactions.csv?org=\(Self.organizationID)")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await http.execute(request, timeout: .seconds(3_600))
        guard response.status.code == 200 else { throw CLIError("the export answered \(response.status.code)") }
        var lines = 0
        var bytes = 0
        for try await buffer in response.body {
            bytes += buffer.readableBytes
            lines += buffer.readableBytesView.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
        let seconds = (clock.now - start).inMilliseconds / 1000
        sampler.cancel()
        return (lines - 1, bytes, seconds, await sampler.value)
    }

    private func pageList(_ gateway: BenchGateway, http: HTTPClient, token: String) async throws
        -> (rows: Int, seconds: Double)
    {
        let clock = ContinuousClock()
        let start = clock.now
        var rows = 0
        var cursor: String?
        repeat {
            let path = "/v1/transactions?org=\(Self.organizationID)&limit=500" + (cursor.map { "&cursor=\($0)" } ?? "")
            let (status, body) = try await gateway.send(http, .GET, path, token: token)
            guard status == 200 else { throw CLIError("\(path) answered \(status)") }
            rows += body.components(separatedBy: "\"id\":\"pay_").count - 1
            cursor = BenchGateway.first(#"(?<="next_cursor":")[^"]+"#, in: body)
        } while cursor != nil && rows < listRows
        return (rows, (clock.now - start).inMilliseconds / 1000)
    }

    static func residentMB(pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) / 1024
        }
        return 0
    }

    static func ms(_ value: Double) -> String { String(format: "%.1f", value) }
    static func ratio(_ value: Double, _ baseline: Double) -> String {
        String(format: "%.2f", value / max(baseline, 0.001))
    }
}

extension Duration {
    var inMilliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
