import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOHTTP1
import PesaCLI

#if canImport(Glibc)
    import Glibc
#endif

/// `pesa-bench webhooks`: webhook deliveries per second to a fast endpoint while payments settle, every
/// succeeded payment's `payment.succeeded` delivered exactly once; and the payments' throughput with an endpoint
/// that never answers against none, in the same run. See BENCHMARKS.md.
struct WebhooksBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Webhook deliveries/s while payments run, and payments/s with a never-answering endpoint vs none.",
        discussion: """
            Each part starts `pesa serve --demo` (the pesa binary beside this one, or --pesa) as a child process \
            on 127.0.0.1 with the embedded Daraja sandbox, PESA_ALLOW_PRIVATE_WEBHOOKS=1 and a fresh data folder \
            under --directory, and pushes STK payments with --clients closed-loop clients for --seconds (at most \
            --payments). Deliveries: the organization has one endpoint subscribed to every event, a receiver in \
            this process answering 200 at once; deliveries per second while the payments settle, and every \
            succeeded payment's payment.succeeded must come under exactly one webhook-id. Timeout: completed \
            payments per second with one endpoint that accepts connections and never answers (each delivery holds \
            its slot for the gateway's 15 s timeout) against no endpoint, each arm on a fresh gateway, in \
            alternating order for --rounds rounds.
            """)

    @Option(help: "Scratch folder (a subfolder is created and removed).")
    var directory: String = "./.bench-scratch"

    @Option(help: "The pesa executable to start (default: the one beside pesa-bench).")
    var pesa: String?

    @Option(help: "Closed-loop clients pushing payments (1...1024).")
    var clients = 64

    @Option(help: "Seconds of each measured phase.")
    var seconds: Double = 10

    @Option(help: "At most this many pushes per phase (1...1,000,000).")
    var payments = 100_000

    @Option(help: "Delay of the embedded sandbox's callbacks.")
    var callbackDelayMs: Int64 = 1_000

    @Option(help: "Longest wait, after a phase, for its last callbacks, and again for its last deliveries.")
    var settleSeconds: Double = 120

    @Option(help: "Rounds of the timeout comparison, each arm once per round (0...10; 0 leaves it out).")
    var rounds = 2

    @Option(help: "The gateway's log level.")
    var logLevel: String = "warning"

    static let warmUpPushes = 200

    func validate() throws {
        guard (1...1_024).contains(clients), (1...1_000_000).contains(payments), (0...10).contains(rounds) else {
            throw ValidationError("--clients 1...1024, --payments 1...1000000, --rounds 0...10")
        }
        guard seconds > 0, seconds <= 600, settleSeconds > 0, settleSeconds <= 900,
            (0...60_000).contains(callbackDelayMs)
        else { throw ValidationError("--seconds 0...600, --settle-seconds 0...900, --callback-delay-ms 0...60000") }
    }

    var executable: String { pesa ?? PesaExecutable.besideThisOne }

    func run() async throws {
        let root = directory + "/webhooks-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let cleanup = BenchCleanup(root: root)
        cleanup.installSignalHandlers()
        defer { cleanup.run() }
        var pool = HTTPClient.Configuration()
        pool.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1_024
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: pool)
        var report = WebhooksReport(loadBefore: BenchCPU.loadAverage(), clients: clients, seconds: seconds)
        do {
            report.deliveries = try await arm(.fast, round: 0, root: root, cleanup: cleanup, http: http)
            for round in 0..<rounds {
                let order: [WebhooksArm.Endpoint] = round % 2 == 0 ? [.none, .timeout] : [.timeout, .none]
                for endpoint in order {
                    report.arms.append(
                        try await arm(endpoint, round: round + 1, root: root, cleanup: cleanup, http: http))
                }
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        report.loadAfter = BenchCPU.loadAverage()
        report.print()
    }

    /// One fresh gateway with `endpoint`: warmed up, then one measured phase of payments; with the fast
    /// endpoint, the deliveries are awaited and tallied too.
    func arm(
        _ endpoint: WebhooksArm.Endpoint, round: Int, root: String, cleanup: BenchCleanup, http: HTTPClient
    ) async throws -> WebhooksArm {
        let armRoot = root + "/\(endpoint.rawValue)-\(round)"
        try FileManager.default.createDirectory(atPath: armRoot, withIntermediateDirectories: true)
        let gateway = BenchGateway(root: armRoot, executable: executable)
        cleanup.track(gateway)
        let receiver: WebhookReceiver? =
            switch endpoint {
            case .none: nil
            case .fast: try await WebhookReceiver.start(.answer)
            case .timeout: try await WebhookReceiver.start(.hold)
            }
        do {
            try await gateway.start(
                callbackDelayMs: callbackDelayMs, logLevel: logLevel, http: http,
                environment: ["PESA_ALLOW_PRIVATE_WEBHOOKS": "1"])
            let token = try await gateway.adminToken(http: http)
            if let receiver { try await Self.createEndpoint(receiver.url, on: gateway, token: token, http: http) }
            var result = try await measure(endpoint, round: round, gateway: gateway, http: http)
            if let receiver {
                if endpoint == .fast {
                    result.deliveriesDrained = try await Self.waitForDeliveries(
                        on: gateway, token: token, http: http, seconds: settleSeconds)
                    let succeeded = try await PaymentReadback(gateway: gateway, http: http).all()
                        .filter { $0.value.status == "succeeded" }.keys
                    result.tally = WebhookTally(
                        arrivals: receiver.arrivals, succeededIDs: Set(succeeded),
                        window: (result.completions.firstMs, result.completions.lastMs, result.completions.completed))
                }
                result.connections = receiver.connections
                // Closed before the gateway stops, so that deliveries under way end now rather than at their timeout.
                await receiver.stop()
            }
            gateway.stop()
            try? FileManager.default.removeItem(atPath: armRoot)
            return result
        } catch {
            await receiver?.stop()
            throw error
        }
    }

    /// The warm-up (its payments settled), then the measured phase, its payments settled and read back.
    func measure(_ endpoint: WebhooksArm.Endpoint, round: Int, gateway: BenchGateway, http: HTTPClient)
        async throws -> WebhooksArm
    {
        let readback = PaymentReadback(gateway: gateway, http: http)
        let load = { (phase: String) in
            PaymentLoad(http: http, baseURL: gateway.baseURL, apiKey: gateway.apiKey, phase: phase)
        }
        _ = await load("warmup").closedLoop(clients: 8, seconds: 30, countMax: min(Self.warmUpPushes, payments))
        _ = try await readback.waitUntilNonePending(seconds: settleSeconds)
        let serverBefore = BenchCPU.seconds(pid: gateway.processID)
        // Short: the phase ends up in the STK push's description, which Daraja limits to 13 characters.
        let outcome = await load("\(endpoint.rawValue.prefix(1))\(round)").closedLoop(
            clients: clients, seconds: seconds, countMax: payments)
        let settled = try await readback.waitUntilNonePending(seconds: settleSeconds)
        let serverCPU = BenchCPU.seconds(pid: gateway.processID) - serverBefore
        guard gateway.isRunning else { throw CLIError("pesa serve stopped:\n\(gateway.printed.suffix(4_000))") }
        let completions = Completions(ids: outcome.acceptedIDs, recorded: try await readback.all())
        let result = WebhooksArm(
            endpoint: endpoint, round: round, outcome: outcome, completions: completions, settled: settled,
            serverCPUSeconds: serverCPU)
        Swift.print(result.resultLine)
        return result
    }

    /// One endpoint of the demo organization at `url`, subscribed to every event (made by the super admin).
    static func createEndpoint(_ url: String, on gateway: BenchGateway, token: String, http: HTTPClient)
        async throws
    {
        let (status, answer) = try await gateway.send(
            http, .POST, "/v1/webhook-endpoints?org=\(gateway.organizationID)",
            body: #"{"url":"\#(url)","description":"pesa-bench"}"#, token: token)
        guard status == 201 else { throw CLIError("creating the webhook endpoint failed (\(status)): \(answer)") }
    }

    /// Waits until the organization has no pending delivery, at most `seconds`; false on timeout.
    static func waitForDeliveries(on gateway: BenchGateway, token: String, http: HTTPClient, seconds: Double)
        async throws -> Bool
    {
        let path = "/v1/webhook-deliveries?org=\(gateway.organizationID)&status=pending&limit=1"
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let (status, answer) = try await gateway.send(http, .GET, path, token: token)
            guard status == 200 else { throw CLIError("GET \(path) answered \(status): \(answer)") }
            let page = (try? JSONSerialization.jsonObject(with: Data(answer.utf8))) as? [String: Any]
            if (page?["data"] as? [Any])?.isEmpty == true { return true }
            try await Task.sleep(for: .milliseconds(100))
        } while Date() < deadline
        return false
    }
}
