import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PesaCLI

#if canImport(Glibc)
import Glibc
#endif

/// A real `pesa serve --demo` child process on 127.0.0.1 with the embedded Daraja sandbox, on a fresh data
/// folder, prepared for a benchmark: the demo organization's rate limit lifted through the admin API (a super
/// admin from PESA_ADMIN_EMAIL/PASSWORD logs in and PATCHes it) and the load's API key made with its own limit,
/// as high, so that every request passes both the organization's and the key's bucket and none is refused.
final class BenchGateway: @unchecked Sendable {
    static let adminEmail = "bench@pesa.local"
    static let adminPassword = "bench-password-1"
    static let startSecondsMax: Double = 60
    static let stopSecondsMax: Double = 15

    let root: String
    /// Drawn again when the first start finds it taken meanwhile (tests and benchmarks start servers side by side).
    private(set) var port: Int
    private(set) var apiKey = ""
    private(set) var organizationID = ""
    private var process = Process()
    private let outputPath: String
    /// Lets the benchmark read `GET /metrics` (PESA_METRICS_TOKEN of the child).
    private let metricsToken = "bench-" + String(UInt64.random(in: 1...UInt64.max), radix: 36)

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var processID: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    /// What the child printed (stdout and stderr), for error messages.
    var printed: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    let executable: String

    init(root: String, executable: String) {
        self.root = root
        self.executable = executable
        self.port = LoopbackPort.free()
        self.outputPath = root + "/serve.out"
    }

    /// Starts the child and waits until it answers and has printed the demo organization. `bcryptCost`: 4 where
    /// logins are not measured. `sandboxPasskeys`: more STK short codes for the embedded sandbox
    /// (PESA_SANDBOX_PASSKEYS, `SHORTCODE=PASSKEY[,…]`).
    /// `meteringAndRateLimits` false: the gateway neither rate limits nor meters (the baseline of
    /// `--compare-limits`; the same limits are still set, and ignored). `arguments`: more `pesa serve` options;
    /// `environment`: more variables of the child (such as PESA_ALLOW_PRIVATE_WEBHOOKS).
    func start(
        callbackDelayMs: Int64, logLevel: String, http: HTTPClient, bcryptCost: Int = 4, sandboxPasskeys: String = "",
        meteringAndRateLimits: Bool = true, arguments: [String] = [], environment extra: [String: String] = [:]
    ) async throws {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "PESA_MASTER_KEY")
        environment.removeValue(forKey: "PESA_SANDBOX_UPSTREAM")
        environment["PESA_SANDBOX_PASSKEYS"] = sandboxPasskeys.isEmpty ? nil : sandboxPasskeys
        // The load reuses the demo's test numbers: Daraja's one-push-per-phone lock is lifted for it.
        environment["PESA_SANDBOX_UNLOCK_SUBSCRIBERS"] = "1"
        environment["PESA_ADMIN_EMAIL"] = Self.adminEmail
        environment["PESA_ADMIN_PASSWORD"] = Self.adminPassword
        environment["PESA_METRICS_TOKEN"] = metricsToken
        environment.merge(extra) { $1 }
        for attempt in 1...Self.portAttemptsMax {
            let options = [
                "serve", "--demo", "--data", root + "/data", "--host", "127.0.0.1", "--port", String(port),
                "--log-level", logLevel, "--bcrypt-cost", String(bcryptCost),
                "--sandbox-callback-delay-ms", String(callbackDelayMs),
                // Every simulated client comes from 127.0.0.1 (up to 1,024 of them): that address may hold them all.
                "--connections-max", "4096", "--connections-per-address-max", "4096",
            ]
            let limits = meteringAndRateLimits ? [] : ["--bench-no-metering-no-rate-limits"]
            if try await launch(options + limits + arguments, environment: environment) {
                try await liftRateLimit(http: http)
                return
            }
            // Another process took the port between its draw and the bind: the server said so and exited before
            // it made the demo organization. Anything else is a failure of the gateway.
            guard printed.contains("already in use"), attempt < Self.portAttemptsMax else {
                throw CLIError("pesa serve exited:\n\(printed)")
            }
            port = LoopbackPort.free()
        }
    }

    static let portAttemptsMax = 5

    /// One start: true once the child has printed the demo organization; false if it exited first.
    private func launch(_ arguments: [String], environment: [String: String]) async throws -> Bool {
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        guard let output = FileHandle(forWritingAtPath: outputPath) else {
            throw CLIError("cannot write \(outputPath)")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(Self.startSecondsMax)
        while Date() < deadline {
            guard process.isRunning else { return false }
            let text = printed
            if let key = Self.first("pk_test_[A-Za-z0-9_]+", in: text),
                let org = Self.first("org_[a-z0-9]+", in: text)
            {
                apiKey = key
                organizationID = org
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLIError("pesa serve did not print the demo organization in \(Int(Self.startSecondsMax)) s:\n\(printed)")
    }

    /// The demo plan allows 300 requests a minute; the benchmark measures the gateway, not its 429s: the
    /// organization gets the highest limit there is (1,000,000 a minute, as burst too), and the load a key of its
    /// own with the same limit, which the demo's key replaces.
    private func liftRateLimit(http: HTTPClient) async throws {
        let token = try await adminToken(http: http)
        let limit = #"{"per_minute":1000000,"burst":1000000}"#
        let (patched, answer) = try await send(
            http, .PATCH, "/v1/orgs/\(organizationID)", body: #"{"rate_limit":\#(limit)}"#, token: token)
        guard patched == 200 else { throw CLIError("lifting the rate limit failed (\(patched)): \(answer)") }
        let (created, made) = try await send(
            http, .POST, "/v1/api-keys?org=\(organizationID)",
            body: #"{"name":"bench","role":"manager","rate_limit":\#(limit)}"#, token: token)
        guard created == 201, let key = Self.first(#"(?<="key":")pk_test_[A-Za-z0-9_]+"#, in: made) else {
            throw CLIError("creating the benchmark's API key failed (\(created)): \(made)")
        }
        apiKey = key
    }

    /// A login JWT of the super admin.
    func adminToken(http: HTTPClient) async throws -> String {
        let login = #"{"email":"\#(Self.adminEmail)","password":"\#(Self.adminPassword)"}"#
        let (status, body) = try await send(http, .POST, "/v1/auth/login", body: login)
        guard status == 200, let token = Self.first(#"(?<="access_token":")[^"]+"#, in: body) else {
            throw CLIError("admin login failed (\(status)): \(body)")
        }
        return token
    }

    /// The gateway's journal fdatasyncs so far.
    func journalSyncs(http: HTTPClient) async throws -> JournalSyncs {
        let (status, body) = try await send(http, .GET, "/metrics", token: metricsToken)
        guard status == 200, let syncs = JournalSyncs(exposition: body) else {
            throw CLIError("GET /metrics answered \(status) without \(JournalSyncs.metric)")
        }
        return syncs
    }

    func send(_ http: HTTPClient, _ method: HTTPMethod, _ path: String, body: String? = nil, token: String? = nil)
        async throws -> (Int, String)
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token ?? apiKey)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    /// The child's peak resident memory so far (VmHWM of /proc/PID/status), in MB; nil when unreadable.
    var peakResidentMB: Int? {
        guard process.isRunning,
            let status = try? String(contentsOfFile: "/proc/\(processID)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kb = line.split(separator: " ").compactMap({ Int($0) }).first
        else { return nil }
        return kb / 1024
    }

    /// SIGTERM (journals flushed and closed), then SIGKILL if it does not stop in time. Safe to call twice.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(Self.stopSecondsMax)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    static func first(_ pattern: String, in text: String) -> String? {
        guard let range = text.range(of: pattern, options: .regularExpression) else { return nil }
        return String(text[range])
    }
}
