import AsyncHTTPClient
import Foundation
import PesaCLI
import PesaCore

/// An organization of N settled STK pushes spread evenly over some days, written as a snapshot in `root/data`
/// and served by a real `pesa serve --demo`: the fixture of the benchmarks that read a large history (reports,
/// dashboard). Built once per marker and reused while the marker is there.
struct SpreadPaymentsFixture {
    let root: String
    let organizationID: String
    let payments: Int
    let days: Int
    /// Where the history ends: now for a benchmark that reads "today" (the fixture is then rebuilt each Kenya
    /// day); nil keeps the fixture's fixed start date.
    var endsNowMs: Int64?

    /// Builds the data folder unless the marker of these parameters is already there.
    func prepare() async throws {
        var marker = root + "/fixture-\(payments)-\(days)"
        if let endsNowMs { marker += "-\(KenyaTime.dayKey(ms: endsNowMs))" }
        if FileManager.default.fileExists(atPath: marker) {
            print("reusing the fixture in \(root)/data")
            return
        }
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        print("building the fixture: \(payments) payments over \(days) days in \(root)/data")
        let spanMs = Int64(max(1, days)) * 86_400_000
        var fixture = OpenTenantFixture(
            payments: payments, tail: 0, msPerEvent: max(1, spanMs / Int64(max(1, payments * 3))))
        if let endsNowMs { fixture.baseMs = endsNowMs - spanMs }
        try await fixture.build(root: root + "/data", tenantID: organizationID)
        _ = FileManager.default.createFile(atPath: marker, contents: nil)
    }

    /// Runs `body` with `pesa serve` started on the fixture and an HTTP client, stopping both however it ends.
    /// `followRedirects` false leaves a redirect to the caller (a browser keeps the login's session cookie).
    func serving(
        executable: String, followRedirects: Bool = true,
        _ body: (BenchGateway, HTTPClient) async throws -> Void
    ) async throws {
        var configuration = HTTPClient.Configuration()
        if !followRedirects { configuration.redirectConfiguration = .disallow }
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let gateway = BenchGateway(root: root, executable: executable)
        do {
            try await gateway.start(callbackDelayMs: 0, logLevel: "warning", http: http)
            try await body(gateway, http)
        } catch {
            gateway.stop()
            try? await http.shutdown()
            throw error
        }
        gateway.stop()
        try await http.shutdown()
    }
}
