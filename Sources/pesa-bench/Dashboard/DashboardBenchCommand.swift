import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PesaCLI
import PesaCore

/// `pesa-bench dashboard`: how long the dashboard's overview and payment list take to render for an organization
/// of N payments, through a real `pesa serve` on loopback, against the login page in the same run. See
/// BENCHMARKS.md.
struct DashboardBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Dashboard overview and payment list render times over N payments (loopback), vs the login page.",
        discussion: """
            Builds a data folder under --directory (once a day; reused the same Kenya day) holding an organization \
            of --payments settled STK pushes spread evenly over the --days days up to now (written as a snapshot, \
            with the reports benchmark's fixture builder), starts `pesa serve --demo` on it (the pesa beside this \
            binary, or --pesa), logs into the dashboard as the super admin and times --samples GETs of each page \
            in turn, one at a time: /ui/ (the overview), /ui/payments, /ui/payments?phone= (the number of the \
            oldest payment: a walk of every row), /ui/payments?receipt= (an index lookup), /ui/payouts (the type \
            filter finds none: a walk of every row), and the login page as the baseline (a template with no \
            data). Prints p50 and p99 of each and their ratios to the baseline's.
            """)

    @Option(help: "Scratch folder (the fixture's data folder is kept in it).")
    var directory: String = "./.bench-scratch/dashboard"

    @Option(help: "The pesa executable to start (default: the one beside pesa-bench).")
    var pesa: String?

    @Option(help: "Payments of the organization.")
    var payments: Int = 1_000_000

    @Option(help: "Days up to now the payments are spread over.")
    var days: Int = 30

    @Option(help: "Timed requests per page.")
    var samples: Int = 50

    static let organizationID = OrganizationID(randomBytes: [UInt8](repeating: 0xDA, count: 16)).rawValue

    func run() async throws {
        let fixture = SpreadPaymentsFixture(
            root: URL(fileURLWithPath: directory).standardizedFileURL.path, organizationID: Self.organizationID,
            payments: payments, days: days, endsNowMs: Int64(Date().timeIntervalSince1970 * 1000))
        try await fixture.prepare()
        try await fixture.serving(executable: pesa ?? PesaExecutable.besideThisOne, followRedirects: false) {
            gateway, http in
            try await measure(
                DashboardBrowser(baseURL: gateway.baseURL, http: http),
                anonymous: DashboardBrowser(baseURL: gateway.baseURL, http: http))
        }
    }

    /// `anonymous` renders the login page (a signed-in browser is sent on to the overview).
    private func measure(_ browser: DashboardBrowser, anonymous: DashboardBrowser) async throws {
        try await browser.logIn(email: BenchGateway.adminEmail, password: BenchGateway.adminPassword)
        let org = "org=\(Self.organizationID)"
        // The number and receipt of the fixture's first (oldest) payment.
        let pages: [(label: String, path: String, expect: String)] = [
            ("login page (baseline)", "/ui/login", "Log in"),
            ("overview /ui/", "/ui/?\(org)", "Needs attention"),
            ("payments /ui/payments", "/ui/payments?\(org)", "Next page"),
            ("payments ?phone= (oldest payment's)", "/ui/payments?\(org)&phone=0700000000", "254700000000"),
            ("payments ?receipt=", "/ui/payments?\(org)&receipt=tk0x", "TK0X"),
            // The fixture holds no payout: the type filter walks every row to find none.
            ("payouts /ui/payouts (none among them)", "/ui/payouts?\(org)", "No payments match"),
        ]
        var results: [(label: String, p50: Double, p99: Double)] = []
        for page in pages {
            let browser = page.path == "/ui/login" ? anonymous : browser
            let (status, body) = try await browser.get(page.path)
            guard status == 200, body.contains(page.expect) else {
                throw CLIError("\(page.path) answered \(status) without \"\(page.expect)\": \(body.prefix(2_000))")
            }
            var times: [Double] = []
            let clock = ContinuousClock()
            for _ in 0..<max(1, samples) {
                let start = clock.now
                let (status, _) = try await browser.get(page.path)
                times.append((clock.now - start).inMilliseconds)
                guard status == 200 else { throw CLIError("\(page.path) answered \(status)") }
            }
            times.sort()
            let p99 = times[min(times.count - 1, Int((Double(times.count) * 0.99).rounded(.up)) - 1)]
            results.append((page.label, times[times.count / 2], p99))
        }
        let baseline = results[0]
        print("| page (\(payments) payments, \(samples) requests each) | p50 | p99 | p50 / baseline p50 |")
        print("|---|---:|---:|---:|")
        for result in results {
            print("| \(result.label) | \(Self.ms(result.p50)) ms | \(Self.ms(result.p99)) ms | "
                + "\(ReportsBenchCommand.ratio(result.p50, baseline.p50)) |")
        }
        let keys = ["login", "overview", "payments", "phone", "receipt", "payouts"]
        let figures = zip(keys, results).map { key, result in
            "\(key)_p50_ms=\(Self.ms(result.p50)) \(key)_p99_ms=\(Self.ms(result.p99))"
        }
        let goal = results.dropFirst().allSatisfy { $0.p50 < 50 }
        print("DASHBOARD payments=\(payments) samples=\(samples) \(figures.joined(separator: " ")) "
            + "overview_ratio=\(ReportsBenchCommand.ratio(results[1].p50, baseline.p50)) goal_50ms_met=\(goal)")
    }

    static func ms(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// A browser of the dashboard: the login form's CSRF cookie and field, then the session cookie on every request.
final class DashboardBrowser: @unchecked Sendable {
    let baseURL: String
    let http: HTTPClient
    private var cookies: [String: String] = [:]

    init(baseURL: String, http: HTTPClient) {
        self.baseURL = baseURL
        self.http = http
    }

    func logIn(email: String, password: String) async throws {
        let (_, form) = try await get("/ui/login")
        guard let token = BenchGateway.first(#"(?<=name="csrf_token" value=")[^"]+"#, in: form) else {
            throw CLIError("the login page holds no CSRF token")
        }
        let body = [("email", email), ("password", password), ("csrf_token", token)]
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        let (status, answer) = try await send(.POST, "/ui/login", body: body)
        guard status == 303, cookies["pesa_session"] != nil else {
            throw CLIError("dashboard login failed (\(status)): \(answer.prefix(500))")
        }
    }

    func get(_ path: String) async throws -> (Int, String) { try await send(.GET, path, body: nil) }

    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if !cookies.isEmpty {
            request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(60))
        for header in response.headers["Set-Cookie"] {
            let pair = header.prefix { $0 != ";" }
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            if value.isEmpty { cookies.removeValue(forKey: name) } else { cookies[name] = value }
        }
        let bytes = try await response.body.collect(upTo: 32 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }
}
