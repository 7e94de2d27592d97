import ArgumentParser
import AsyncHTTPClient
import DarajaSandbox
import Foundation
import Hummingbird
import Logging
import Metrics
import PesaAPI
import PesaCore
import PesaEngine
import PesaStore
import Prometheus
import ServiceLifecycle
import UnixSignals

/// `pesa serve`: the gateway. Every option has an environment variable; the defaults run a complete
/// gateway on one machine: data in ./data, sandbox credentials talking to an embedded Daraja sandbox.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway (HTTP API, Daraja callbacks, reconciliation; embedded Daraja sandbox by default).")

    static let environment = ProcessInfo.processInfo.environment

    @Option(help: "Data folder (env PESA_DATA).")
    var data: String = environment["PESA_DATA"] ?? "./data"

    @Option(help: "Address to listen on (env PESA_HOST).")
    var host: String = environment["PESA_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on (env PESA_PORT).")
    var port: Int = Int(environment["PESA_PORT"] ?? "") ?? 8080

    @Option(help: "Public base URL Daraja calls back (env PESA_PUBLIC_URL; default http://HOST:PORT).")
    var publicURL: String = environment["PESA_PUBLIC_URL"] ?? ""

    @Option(
        help: ArgumentHelp(
            "File with the base64 master key (env PESA_MASTER_KEY_FILE; PESA_MASTER_KEY holds the key "
                + "itself)."))
    var masterKeyFile: String = environment["PESA_MASTER_KEY_FILE"] ?? ""

    @Option(
        help: """
            Where sandbox credentials go: 'embedded' (a built-in Daraja sandbox) or a base URL \
            (env PESA_SANDBOX_UPSTREAM).
            """
    )
    var sandboxUpstream: String = environment["PESA_SANDBOX_UPSTREAM"] ?? "embedded"

    @Option(
        help: """
            Safaricom's sandbox certificate (PEM) for initiator passwords with an external sandbox \
            (env PESA_DARAJA_SANDBOX_CERT).
            """
    )
    var sandboxCertificate: String = environment["PESA_DARAJA_SANDBOX_CERT"] ?? ""

    @Option(
        help: ArgumentHelp(
            "Safaricom's production certificate (PEM) for initiator passwords (env "
                + "PESA_DARAJA_PRODUCTION_CERT)."))
    var productionCertificate: String = environment["PESA_DARAJA_PRODUCTION_CERT"] ?? ""

    @Option(help: "Seconds before a pending payment is queried (env PESA_RECONCILE_AFTER_S).")
    var reconcileAfterSeconds: Int64 = Int64(environment["PESA_RECONCILE_AFTER_S"] ?? "") ?? 120

    @Option(
        help: "Payout batch rows sent per second by the whole gateway, at most (env PESA_BATCH_ROWS_PER_S; 1 to 1000).")
    var batchRowsPerSecond: Int =
        Int(environment["PESA_BATCH_ROWS_PER_S"] ?? "") ?? Limits.batchRowsPerSecondDefault

    @Option(help: "Delay of the embedded sandbox's callbacks (env PESA_SANDBOX_CALLBACK_DELAY_MS).")
    var sandboxCallbackDelayMs: Int64 = Int64(environment["PESA_SANDBOX_CALLBACK_DELAY_MS"] ?? "") ?? 1_000

    @Option(
        help: """
            Events after which a tenant is snapshotted and compacted in the background, 1,000 to 1,000,000,000 \
            (env PESA_SNAPSHOT_EVERY_EVENTS).
            """
    )
    var snapshotEveryEvents: UInt64 =
        UInt64(environment["PESA_SNAPSHOT_EVERY_EVENTS"] ?? "") ?? Limits.snapshotTailEventsMax

    @Option(
        help: ArgumentHelp(
            "Seconds a keep-alive connection may stay without a request before it is closed, 1 to "
                + "3600 (env PESA_IDLE_TIMEOUT_S)."))
    var idleTimeoutSeconds: Int64 =
        Int64(environment["PESA_IDLE_TIMEOUT_S"] ?? "") ?? Limits.connectionIdleSecondsDefault

    @Option(
        help: ArgumentHelp(
            "Seconds a request head may take from its first byte; later it is answered 408, 1 to 3600 "
                + "(env PESA_REQUEST_HEAD_TIMEOUT_S)."))
    var requestHeadTimeoutSeconds: Int64 =
        Int64(environment["PESA_REQUEST_HEAD_TIMEOUT_S"] ?? "") ?? Limits.requestHeadSecondsDefault

    @Option(
        help: ArgumentHelp(
            "Seconds a request body may go without a byte; then it is answered 408, 1 to 3600 (env "
                + "PESA_REQUEST_BODY_TIMEOUT_S)."))
    var requestBodyTimeoutSeconds: Int64 =
        Int64(environment["PESA_REQUEST_BODY_TIMEOUT_S"] ?? "") ?? Limits.requestBodyStallSecondsDefault

    @Option(
        help: ArgumentHelp(
            "Most open client connections; more are closed at once (env PESA_CONNECTIONS_MAX; 0: half "
                + "the open-file limit)."))
    var connectionsMax: Int = Int(environment["PESA_CONNECTIONS_MAX"] ?? "") ?? 0

    @Option(
        help: ArgumentHelp(
            "Most open connections per client address; more are closed at once (env "
                + "PESA_CONNECTIONS_PER_ADDRESS_MAX; 0: an eighth of --connections-max)."))
    var connectionsPerAddressMax: Int = Int(environment["PESA_CONNECTIONS_PER_ADDRESS_MAX"] ?? "") ?? 0

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env PESA_LOG_LEVEL).")
    var logLevel: String = environment["PESA_LOG_LEVEL"] ?? "info"

    @Option(help: .hidden)
    var bcryptCost: Int?

    /// No rate limit and no API call metering: the baseline arm of `pesa-bench payments --compare-limits`,
    /// which measures what the two cost. Never for serving anyone.
    @Flag(help: .hidden)
    var benchNoMeteringNoRateLimits = false

    @Flag(
        help: ArgumentHelp(
            "Let the embedded sandbox accept a second STK push to a phone with one pending, which Daraja refuses "
                + "(500.001.1001): for load tests that reuse test numbers (env PESA_SANDBOX_UNLOCK_SUBSCRIBERS=1)."))
    var sandboxUnlockSubscribers = false

    @Flag(
        help: ArgumentHelp(
            "Prepare a demo organization (sandbox login, credentials, API key; a super admin when there is none) "
                + "and print them with ready-to-run commands. Later starts print the same login and key."))
    var demo = false

    @Flag(help: "With --demo: revoke the demo's API key and make another.")
    var newDemoKey = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard demo || !newDemoKey else { throw ValidationError("--new-demo-key goes with --demo") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard (1_000...1_000_000_000).contains(snapshotEveryEvents) else {
            throw ValidationError("--snapshot-every-events must be 1,000 to 1,000,000,000")
        }
        guard connectionsMax >= 0, connectionsPerAddressMax >= 0 else {
            throw ValidationError("--connections-max and --connections-per-address-max must not be negative")
        }
        if let problem = connectionSettings.problem { throw ValidationError(problem) }
        guard (1...Limits.batchRowsPerSecondMax).contains(batchRowsPerSecond) else {
            throw ValidationError("--batch-rows-per-second must be 1 to \(Limits.batchRowsPerSecondMax)")
        }
        if sandboxUpstream != "embedded" {
            guard sandboxUpstream.hasPrefix("http://") || sandboxUpstream.hasPrefix("https://") else {
                throw ValidationError("--sandbox-upstream is 'embedded' or an http(s) URL")
            }
        }
        if !publicURL.isEmpty {
            guard publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://"), !publicURL.contains(" ") else {
                throw ValidationError("--public-url must be an http(s) URL without spaces")
            }
        }
    }

    func run() async throws {
        let logger = ServeBootstrap.bootstrapLogging(level: Logger.Level(rawValue: logLevel) ?? .info)
        let started = try await start(logger: logger)
        let (services, sandbox) = try backgroundServices(
            gateway: started.gateway, upstream: started.upstream, logger: logger)
        try await serve(
            gateway: started.gateway, api: started.api, services: services, sandbox: sandbox,
            upstream: started.upstream, httpClient: started.httpClient, logger: logger)
        withExtendedLifetime(started.lock) {}
        logger.info("stopped: journals flushed and closed, lock released")
    }

    /// What `start` opened: the gateway, its API, the outbound clients and the data folder's lock.
    struct Started {
        let gateway: Gateway
        let api: GatewayAPI
        let upstream: UpstreamClients
        let httpClient: HTTPClient
        let lock: DirectoryLock
    }

    /// Tunes the allocator, bootstraps metrics, takes the data folder's lock, opens the gateway and makes the
    /// first super admin when asked.
    /// The synchronous part of starting: allocator, metrics, the data folder and its lock, the master key and
    /// the outbound clients with their certificates.
    private func open(logger: Logger) throws -> (
        folder: DataDirectory, lock: DirectoryLock, masterKey: MasterKey, httpClient: HTTPClient,
        upstream: UpstreamClients, registry: PrometheusCollectorRegistry
    ) {
        let allocatorTuned = MallocTuning.apply(environment: Self.environment)
        let allocator = allocatorTuned
            ? "allocations up to \(MallocTuning.mmapThresholdBytes >> 20) MiB from the heap, trimmed past "
                + "\(MallocTuning.trimThresholdBytes >> 20) MiB free"
            : "left as GLIBC_TUNABLES or the defaults set it"
        logger.info("glibc allocator: \(allocator)")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let folder = DataDirectory(root: data)
        try folder.prepare()
        let lock = try DirectoryLock.acquire(dataDirectory: data, purpose: "serve")
        let masterKey = try MasterKey.load(
            environment: Self.environment, keyFile: masterKeyFile.isEmpty ? nil : masterKeyFile, dataDirectory: data,
            io: PosixFileIO(), logger: logger)
        // Daraja calls of every organization share this client; AsyncHTTPClient's default of 8 connections per
        // host would queue concurrent pushes behind each other (measured: 16 clients were latency-bound).
        var outbound = HTTPClient.Configuration(redirectConfiguration: .disallow)
        outbound.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: outbound)
        let upstream = UpstreamClients(httpClient: httpClient, logger: logger)
        try Self.loadCertificate(productionCertificate, for: "production", into: upstream)
        try Self.loadCertificate(sandboxCertificate, for: "sandbox", into: upstream)
        return (folder, lock, masterKey, httpClient, upstream, registry)
    }

    private func start(logger: Logger) async throws -> Started {
        let opened = try open(logger: logger)
        let (folder, lock, masterKey, httpClient, upstream, registry) =
            (opened.folder, opened.lock, opened.masterKey, opened.httpClient, opened.upstream, opened.registry)
        let base = !publicURL.isEmpty ? publicURL : "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)"
        var payments = PaymentSettings(publicURL: base, reconcileAfterMs: reconcileAfterSeconds * 1000)
        payments.allowPrivateWebhooks = Self.environment["PESA_ALLOW_PRIVATE_WEBHOOKS"] == "1"
        payments.allowHTTPWebhooks = Self.environment["PESA_ALLOW_HTTP_WEBHOOKS"] == "1"
        let gateway = try await Gateway.start(
            data: folder, masterKey: masterKey, snapshotTailEventsMax: snapshotEveryEvents, payments: payments,
            upstream: upstream, logger: logger)
        let metricsToken = Self.environment["PESA_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let api = await GatewayAPI.make(
            gateway: gateway, metricsRegistry: registry, bcryptCost: bcryptCost, metricsToken: metricsToken,
            meteringAndRateLimits: !benchNoMeteringNoRateLimits)
        try await ServeBootstrap.createFirstAdmin(
            gateway: gateway, api: api, environment: Self.environment, logger: logger)
        return Started(gateway: gateway, api: api, upstream: upstream, httpClient: httpClient, lock: lock)
    }

    /// What runs beside the HTTP server: the tenant registry, the reconciler and, with `embedded`, the Daraja
    /// sandbox (its certificate given to the upstream clients).
    private func backgroundServices(gateway: Gateway, upstream: UpstreamClients, logger: Logger) throws
        -> (services: [any Service], sandbox: DarajaSandbox?)
    {
        var services: [any Service] = [
            gateway.registry, Reconciler(gateway: gateway, logger: logger), APICallFlusher(gateway: gateway),
            BillingClock(gateway: gateway),
            BatchSender(gateway: gateway, rowsPerSecond: batchRowsPerSecond, logger: logger),
            WebhookDispatcher(
                gateway: gateway, client: WebhookHTTPClient(),
                renderer: apiWebhookRenderer(settings: gateway.payments), logger: logger),
        ]
        guard sandboxUpstream == "embedded" else {
            upstream.setSandboxBaseURL(sandboxUpstream)
            return (services, nil)
        }
        var settings = SandboxConfiguration(host: "127.0.0.1", port: 0, callbackDelayMs: sandboxCallbackDelayMs)
        settings.locksSubscribers =
            !(sandboxUnlockSubscribers || Self.environment["PESA_SANDBOX_UNLOCK_SUBSCRIBERS"] == "1")
        settings.apply(environment: Self.environment)
        let embedded = try DarajaSandbox(configuration: settings, logger: logger)
        try upstream.setCertificate(pem: embedded.certificatePEM, for: "sandbox")
        services.append(embedded)
        return (services, embedded)
    }

    /// Runs the HTTP server and its services until SIGTERM or SIGINT, then closes the gateway and the outbound
    /// client. (Kept apart from `run`: one async function holding all of it crashed the optimizer.)
    private func serve(
        gateway: Gateway, api: GatewayAPI, services: [any Service], sandbox: DarajaSandbox?, upstream: UpstreamClients,
        httpClient: HTTPClient, logger: Logger
    ) async throws {
        let demo = self.demo
        let newDemoKey = self.newDemoKey
        let listening = "http://\(host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host):\(port)"
        let embeddedSandbox = sandbox
        let connections = connectionSettings
        let caps = "at most \(connections.connectionsMax), \(connections.connectionsPerAddressMax) per client address"
        let timeouts = "idle \(connections.idleTimeoutSeconds) s, request head "
                + "\(connections.requestHeadTimeoutSeconds) s, body stall \(connections.requestBodyTimeoutSeconds) s"
        logger.info("connections: \(caps); \(timeouts)")
        let app = Application(
            router: api.buildRouter(), server: .guardedHTTP1(settings: connections),
            configuration: .init(address: .hostname(host, port: port), serverName: "pesa"),
            services: services,
            onServerRunning: { _ in
                if let embeddedSandbox, let bound = try? await embeddedSandbox.boundPort() {
                    upstream.setSandboxBaseURL("http://127.0.0.1:\(bound)")
                }
                await ServeBootstrap.announce(
                    gateway: gateway, api: api, baseURL: listening, demo: demo, newDemoKey: newDemoKey, logger: logger)
            },
            logger: logger)
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            logger.critical(
                "the server stopped with an error (is \(host):\(port) already in use?)", metadata: ["error": "\(error)"]
            )
            await gateway.close()
            try? await httpClient.shutdown()
            throw ExitCode(1)
        }
        await gateway.close()
        try await httpClient.shutdown()
    }

    /// The connection timeouts and caps: the options, else the defaults derived from the open-file limit.
    var connectionSettings: ConnectionSettings {
        var settings = ConnectionSettings(openFilesMax: OpenFileLimit.current())
        settings.idleTimeoutSeconds = idleTimeoutSeconds
        settings.requestHeadTimeoutSeconds = requestHeadTimeoutSeconds
        settings.requestBodyTimeoutSeconds = requestBodyTimeoutSeconds
        if connectionsMax > 0 {
            settings.connectionsMax = connectionsMax
            settings.connectionsPerAddressMax = ConnectionSettings.defaultConnectionsPerAddressMax(
                connectionsMax: connectionsMax)
        }
        if connectionsPerAddressMax > 0 { settings.connectionsPerAddressMax = connectionsPerAddressMax }
        return settings
    }

    /// Reads a Daraja certificate file (PEM) named by an option; an empty path sets nothing.
    static func loadCertificate(_ path: String, for environment: String, into upstream: UpstreamClients) throws {
        guard !path.isEmpty else { return }
        guard let bytes = try? PosixFileIO().readFile(at: path) else {
            throw ValidationError("cannot read the Daraja \(environment) certificate at \(path)")
        }
        try upstream.setCertificate(pem: String(decoding: bytes, as: UTF8.self), for: environment)
    }
}
