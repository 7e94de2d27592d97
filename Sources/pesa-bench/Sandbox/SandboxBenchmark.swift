import AsyncHTTPClient
import DarajaSandbox
import DarajaWire
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Loopback throughput of the sandbox: N STK pushes over K connections, with callbacks to a local counter,
/// against a baseline measured in the same run (a hello-world Hummingbird route answering the same POSTs).
/// Traffic goes to 127.0.0.1 only, bounded in count and time.
enum SandboxBenchmark {
    struct Report: Sendable, CustomStringConvertible {
        let pushCount: Int
        let concurrency: Int
        let callbackDelayMs: Int64
        let baselineRequestsPerSecond: Double
        let pushesPerSecond: Double
        let callbacksReceived: Int
        /// Callbacks received per second, from the first push to the last callback.
        let callbacksPerSecond: Double
        let failedPushCount: Int

        var description: String {
            let ratio = baselineRequestsPerSecond > 0 ? pushesPerSecond / baselineRequestsPerSecond : 0
            return """
                pushes=\(pushCount) concurrency=\(concurrency) callback_delay_ms=\(callbackDelayMs)
                baseline hello-world POST: \(Int(baselineRequestsPerSecond)) req/s
                STK push (accepted):        \(Int(pushesPerSecond)) pushes/s \
                (\(String(format: "%.2f", ratio)) x baseline), failed=\(failedPushCount)
                callbacks received:         \(callbacksReceived)/\(pushCount), \(Int(callbacksPerSecond)) callbacks/s
                """
        }
    }

    /// Runs the benchmark; `timeLimitSeconds` bounds the wait for callbacks. With `sandboxBaseURL` nil the sandbox
    /// runs in this process; otherwise pushes go to that (loopback) sandbox, e.g. a separate `pesa sandbox`.
    static func run(
        pushCount: Int, concurrency: Int, callbackDelayMs: Int64 = 5, timeLimitSeconds: Int64 = 120,
        sandboxBaseURL: String? = nil, logger: Logger
    ) async throws -> Report {
        precondition(pushCount > 0 && concurrency > 0, "benchmark needs work and workers")
        let recorder = CallbackCounter(logger: logger)
        let sandbox = try DarajaSandbox(
            configuration: SandboxConfiguration(callbackDelayMs: callbackDelayMs, callbackConcurrencyMax: 64),
            logger: logger
        )
        let baseline = HelloWorld(logger: logger)
        let services: [any Service] = sandboxBaseURL == nil ? [recorder, sandbox, baseline] : [recorder, baseline]
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let sandboxURL: String
            if let sandboxBaseURL {
                sandboxURL = sandboxBaseURL
            } else {
                sandboxURL = "http://127.0.0.1:\(try await sandbox.boundPort())"
            }
            let body = ByteBuffer(string: pushBody(callbackURL: try await recorder.baseURL() + "/cb"))
            let token = try await accessToken(http: http, base: sandboxURL)
            let helloURL = "http://127.0.0.1:\(await baseline.port.wait() ?? 0)/hello"
            _ = try await fire(
                http: http, url: helloURL, token: token, body: body, count: min(pushCount, 2_000),
                concurrency: concurrency)
            let baselineRun = try await fire(
                http: http, url: helloURL, token: token, body: body, count: pushCount, concurrency: concurrency)
            let started = ContinuousClock.now
            let pushRun = try await fire(
                http: http, url: sandboxURL + DarajaEndpoint.stkPush.path, token: token, body: body, count: pushCount,
                concurrency: concurrency
            )
            let deadline = started + .seconds(timeLimitSeconds)
            while recorder.count < pushRun.succeeded, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            let callbackSeconds = seconds(ContinuousClock.now - started)
            try await http.shutdown()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return Report(
                pushCount: pushCount, concurrency: concurrency, callbackDelayMs: callbackDelayMs,
                baselineRequestsPerSecond: Double(baselineRun.succeeded) / baselineRun.seconds,
                pushesPerSecond: Double(pushRun.succeeded) / pushRun.seconds, callbacksReceived: recorder.count,
                callbacksPerSecond: Double(recorder.count) / callbackSeconds, failedPushCount: pushRun.failed
            )
        }
    }

    final class Counters: Sendable {
        let next = Atomic<Int>(0)
        let succeeded = Atomic<Int>(0)
    }

    struct Run {
        let succeeded: Int
        let failed: Int
        let seconds: Double
    }

    /// POSTs `body` `count` times over `concurrency` workers; counts 200s.
    static func fire(
        http: HTTPClient, url: String, token: String, body: ByteBuffer, count: Int, concurrency: Int
    ) async throws -> Run {
        let counters = Counters()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { workers in
            for _ in 0..<concurrency {
                workers.addTask {
                    while counters.next.add(1, ordering: .relaxed).oldValue < count {
                        var request = HTTPClientRequest(url: url)
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: "Bearer \(token)")
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.body = .bytes(body)
                        let response = try await http.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 64 * 1024)
                        if response.status == .ok { counters.succeeded.add(1, ordering: .relaxed) }
                    }
                }
            }
            try await workers.waitForAll()
        }
        let done = counters.succeeded.load(ordering: .relaxed)
        return Run(succeeded: done, failed: count - done, seconds: seconds(ContinuousClock.now - started))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func accessToken(http: HTTPClient, base: String) async throws -> String {
        var request = HTTPClientRequest(url: base + DarajaEndpoint.oauthToken.path + "?grant_type=client_credentials")
        request.headers.add(name: "Authorization", value: "Basic " + Data("bench:bench".utf8).base64EncodedString())
        let response = try await http.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 64 * 1024)
        return try JSONDecoder().decode(AccessTokenResponse.self, from: Data(bytes.readableBytesView)).accessToken
    }

    static func pushBody(callbackURL: String) -> String {
        let (password, timestamp) = STKPassword.make(
            shortCode: "174379", passkey: SandboxConfiguration.publicSandboxPasskey, at: Date()
        )
        let request = STKPushRequest(
            businessShortCode: 174379, password: password, timestamp: timestamp,
            transactionType: STKTransactionType.payBill, amount: 1, partyA: 254_708_374_149, partyB: 174379,
            phoneNumber: 254_708_374_149, callBackURL: callbackURL, accountReference: "BENCH", transactionDesc: "Bench"
        )
        return String(decoding: (try? JSONEncoder().encode(request)) ?? Data(), as: UTF8.self)
    }
}
