public import Foundation
public import Logging
public import ServiceLifecycle
import DarajaSandbox
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// An organization's webhook endpoint stand-in for end-to-end tests: a loopback HTTP server that records every
/// request (path, headers, body, arrival time) and answers from a script, a queue of answers used in order and
/// then a default one.
public final class WebhookReceiverServer: Service, Sendable {
    /// What the receiver answers to one request.
    public struct Answer: Sendable {
        public let status: Int
        public let headers: [String: String]

        public init(status: Int, headers: [String: String] = [:]) {
            self.status = status
            self.headers = headers
        }

        public static let ok = Answer(status: 200)
    }

    /// One request as it arrived, with the answer it got.
    public struct Received: Sendable {
        public let method: String
        public let path: String
        /// Header values by lowercased name; repeated headers joined with ", ".
        public let headers: [String: String]
        public let body: Data
        public let arrivedAt: Date
        public let answeredStatus: Int

        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    private struct Storage {
        var received: [Received] = []
        var script: [Answer] = []
        var fallback: Answer
    }

    private let storage: Mutex<Storage>
    private let port = BoundPort()
    private let logger: Logger

    public init(defaultAnswer: Answer = .ok, logger: Logger? = nil) {
        storage = Mutex(Storage(fallback: defaultAnswer))
        var logger = logger ?? Logger(label: "pesa.webhook-receiver")
        logger.logLevel = .warning
        self.logger = logger
    }

    /// Answers to use, in order, before the default one.
    public func enqueue(_ answers: Answer...) {
        storage.withLock { $0.script += answers }
    }

    /// The answer once the queue is used up.
    public func setDefault(_ answer: Answer) {
        storage.withLock { $0.fallback = answer }
    }

    /// Every request so far, oldest first.
    public var received: [Received] { storage.withLock { $0.received } }

    /// The requests carrying `webhook-id: id`, oldest first.
    public func received(webhookID id: String) -> [Received] {
        received.filter { $0.header("webhook-id") == id }
    }

    /// Waits until `count` requests satisfying `matching` arrived or `timeout` passed; returns those that did.
    public func wait(
        for count: Int, timeout: Duration = .seconds(20), matching: @Sendable (Received) -> Bool = { _ in true }
    ) async -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found = received.filter(matching)
            if found.count >= count || ContinuousClock.now >= deadline { return found }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// `http://127.0.0.1:<port><path>`, once listening.
    public func url(_ path: String = "/hooks") async throws -> String {
        guard let bound = await port.wait() else { throw ServerError("the webhook receiver is not running") }
        return "http://127.0.0.1:\(bound)\(path)"
    }

    public func run() async throws {
        defer { port.finish() }
        let router = Router(context: BasicRequestContext.self)
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers {
                let name = field.name.canonicalName
                headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
            }
            let answer = self.record(
                method: request.method.rawValue, path: request.uri.path, headers: headers,
                body: Data(buffer.readableBytesView))
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let name = HTTPField.Name(name) { fields[name] = value }
            }
            return Response(status: HTTPResponse.Status(code: answer.status), headers: fields)
        }
        router.post("**", use: handler)
        router.get("**", use: handler)
        let port = self.port
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                if let bound = channel.localAddress?.port { port.set(bound) }
            },
            logger: logger
        )
        try await app.run()
    }

    private func record(method: String, path: String, headers: [String: String], body: Data) -> Answer {
        storage.withLock { storage in
            let answer = storage.script.isEmpty ? storage.fallback : storage.script.removeFirst()
            storage.received.append(
                Received(
                    method: method, path: path, headers: headers, body: body, arrivedAt: Date(),
                    answeredStatus: answer.status))
            return answer
        }
    }

    /// Runs `body` with a receiver listening, and stops it afterwards.
    public static func run(
        defaultAnswer: Answer = .ok, _ body: (WebhookReceiverServer) async throws -> Void
    ) async throws {
        var logger = Logger(label: "pesa.webhook-receiver")
        logger.logLevel = .warning
        let receiver = WebhookReceiverServer(defaultAnswer: defaultAnswer, logger: logger)
        let services = ServiceGroup(configuration: .init(services: [receiver], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var failure: (any Error)?
            do {
                _ = try await receiver.url()
                try await body(receiver)
            } catch {
                failure = error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            if let failure { throw failure }
        }
    }
}
