import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import PesaEngine
import Testing

/// The webhook POST against a local receiver: what arrives, what comes back, and every way it can fail.
@Suite struct WebhookHTTPClientTests {
    static let body = Array(#"{"type":"payment.succeeded","data":{"id":"pay_1"}}"#.utf8)
    static let headers = [
        ("webhook-id", "msg_1"), ("webhook-timestamp", "1700000000"), ("webhook-signature", "v1,abc"),
    ]

    /// Runs `body` against a started receiver, then stops it. The receiver runs on `group`, by default an event
    /// loop of its own: the process-wide one is shared with every other test running meanwhile.
    static func withReceiver<T>(
        _ answer: WebhookReceiver.Answer, tls: NIOSSLContext? = nil, keepAlive: Bool = false,
        group: (any EventLoopGroup)? = nil, _ body: (WebhookReceiver) async throws -> T
    ) async throws -> T {
        let own = group == nil ? MultiThreadedEventLoopGroup(numberOfThreads: 1) : nil
        let receiver = WebhookReceiver(answer: answer, keepAlive: keepAlive)
        let result: Result<T, any Error>
        do {
            try await receiver.start(tls: tls, group: group ?? own ?? MultiThreadedEventLoopGroup.singleton)
            result = .success(try await body(receiver))
        } catch { result = .failure(error) }
        await receiver.stop()
        try? await own?.shutdownGracefully()
        return try result.get()
    }

    @Test func answerComesBackAndTheRequestArrivesAsSentNamingTheURLHost() async throws {
        let answer = WebhookReceiver.Answer.respond(status: 200, headers: [("X-Seen", "1")], body: Array("ok".utf8))
        try await Self.withReceiver(answer) { receiver in
            let target = try WebhookTarget.parse(
                "http://hooks.example.test:\(receiver.port)/in/pesa?org=1", requireHTTPS: false)
            let response = await WebhookHTTPClient().patientPost(
                target, address: "127.0.0.1", headers: Self.headers + [("Host", "evil.test")], body: Self.body)
            #expect(response.statusCode == 200, "\(response)")
            #expect(response.error == nil)
            #expect(response.bodyPrefix == "ok")
            #expect(response.retryAfter == nil)
            #expect(response.isSuccess)
            let requests = receiver.received
            #expect(requests.count == 1)
            let request = try #require(requests.first)
            #expect(request.head.method == .POST)
            #expect(request.head.uri == "/in/pesa?org=1")
            #expect(request.head.headers["Host"] == ["hooks.example.test:\(receiver.port)"])
            #expect(request.head.headers["Content-Type"] == ["application/json"])
            #expect(request.head.headers["User-Agent"] == ["pesa-webhooks/1"])
            #expect(request.head.headers["Connection"].isEmpty)  // HTTP/1.1: kept alive
            #expect(request.head.headers["Content-Length"] == ["\(Self.body.count)"])
            for (name, value) in Self.headers { #expect(request.head.headers[name] == [value], "\(name)") }
            #expect(request.body == Self.body)
        }
    }

    @Test func redirectIsAnAnswerNotFollowed() async throws {
        try await Self.withReceiver(.respond(status: 307, headers: [("Location", "/elsewhere")], body: [])) {
            receiver in
            let target = try WebhookTarget.parse("http://127.0.0.1:\(receiver.port)/hook", requireHTTPS: false)
            let response = await WebhookHTTPClient().patientPost(
                target, address: "127.0.0.1", headers: [], body: Self.body)
            #expect(response.statusCode == 307, "\(response)")
            #expect(!response.isSuccess)
            #expect(receiver.received.count == 1)
            #expect(receiver.received.first?.head.uri == "/hook")
        }
    }

    @Test func bigAnswerIsReadOnlyUpToItsPrefix() async throws {
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        try await Self.withReceiver(.respond(status: 500, headers: [], body: big)) { receiver in
            let target = try WebhookTarget.parse("http://127.0.0.1:\(receiver.port)/", requireHTTPS: false)
            let response = await WebhookHTTPClient().patientPost(
                target, address: "127.0.0.1", headers: [], body: Self.body)
            #expect(response.statusCode == 500, "\(response)")
            #expect(response.bodyPrefix.utf8.count == WebhookResponse.bodyPrefixBytesMax)
            #expect(response.error == nil)
        }
    }

    @Test func retryAfterIsPassedOn() async throws {
        try await Self.withReceiver(.respond(status: 503, headers: [("Retry-After", "120")], body: [])) { receiver in
            let target = try WebhookTarget.parse("http://127.0.0.1:\(receiver.port)/", requireHTTPS: false)
            let response = await WebhookHTTPClient().patientPost(
                target, address: "127.0.0.1", headers: [], body: Self.body)
            #expect(response.statusCode == 503, "\(response)")
            #expect(response.retryAfter == "120")
        }
    }

    @Test func aCancelledPostStopsWaitingAtOnce() async throws {
        try await Self.withReceiver(.silence) { receiver in
            let target = try WebhookTarget.parse("http://127.0.0.1:\(receiver.port)/", requireHTTPS: false)
            let started = ContinuousClock.now
            let post = Task {
                await WebhookHTTPClient().patientPost(target, address: "127.0.0.1", headers: [], body: Self.body)
            }
            for _ in 0..<50 where receiver.received.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            post.cancel()
            let response = await post.value
            #expect(response.statusCode == nil)
            // Far below the 120 s timeout even on a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(60), "waited for the timeout")
        }
    }

    @Test func silentReceiverRunsIntoTheTimeout() async throws {
        try await Self.withReceiver(.silence) { receiver in
            let target = try WebhookTarget.parse("http://127.0.0.1:\(receiver.port)/", requireHTTPS: false)
            let response = await WebhookHTTPClient().post(
                target, address: "127.0.0.1", headers: [], body: Self.body, timeoutMs: 1_500)
            #expect(response.statusCode == nil)
            #expect(response.error == "no answer within 1500 ms")
            // At least the timeout; how much more depends on when a loaded machine runs the task again.
            #expect(response.latencyMs >= 1_490, "\(response.latencyMs)")
            // The connection did reach the receiver: the timeout is its silence, not a refusal. (Whether the
            // request's bytes were written before the client gave up depends on the machine's load.)
            for _ in 0..<300 where receiver.connections == 0 { try await Task.sleep(for: .milliseconds(100)) }
            #expect(receiver.connections == 1)
            #expect(receiver.received.count <= 1)
        }
    }

    @Test func refusedConnectionIsAnError() async throws {
        let receiver = WebhookReceiver(answer: .silence)
        try await receiver.start()
        let port = receiver.port
        await receiver.stop()
        let target = try WebhookTarget.parse("http://hooks.example.test:\(port)/", requireHTTPS: false)
        let response = await WebhookHTTPClient().patientPost(target, address: "127.0.0.1", headers: [], body: Self.body)
        #expect(response.statusCode == nil)
        #expect(response.error == "connection refused")
    }

    @Test func addressThatIsNotAnIPIsAnError() async throws {
        let target = try WebhookTarget.parse("http://hooks.example.test/", requireHTTPS: false)
        let response = await WebhookHTTPClient().patientPost(
            target, address: "hooks.example.test", headers: [], body: [])
        #expect(response.statusCode == nil)
        #expect(response.error == "not an IP address: hooks.example.test")
    }
}

extension WebhookHTTPClient {
    /// `post` with a timeout far above what a loaded machine needs, for the tests that are not about the
    /// timeout: a whole test run starting at once on two cores has held a task back for more than the 15 s default.
    func patientPost(_ target: WebhookTarget, address: String, headers: [(String, String)], body: [UInt8]) async
        -> WebhookResponse
    {
        await post(target, address: address, headers: headers, body: body, timeoutMs: 120_000)
    }
}
