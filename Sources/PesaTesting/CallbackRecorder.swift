public import Foundation
public import Logging
public import ServiceLifecycle
import DarajaSandbox
import DarajaWire
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A merchant stand-in for tests: a tiny HTTP server on loopback that records every request (path + JSON
/// body) and answers `CallbackAcknowledgement.accepted`, or a body set per path (e.g. a C2B validation
/// rejection).
public final class CallbackRecorder: Service, Sendable {
    public struct Delivery: Sendable {
        public let path: String
        public let body: Data
    }

    private struct Storage {
        var deliveries: [Delivery] = []
        var count = 0
        var replies: [String: (json: String, status: Int)] = [:]
    }

    /// The recorder was asked for its port after it stopped, or before it ran and stopped.
    public struct NotRunning: Error {}

    private let storage = Mutex(Storage())
    private let port = BoundPort()
    private let host: String
    private let requestedPort: Int
    private let logger: Logger

    /// Deliveries kept stay bounded by `deliveryCountMax`; `count` counts them all.
    public init(host: String = "127.0.0.1", port: Int = 0, logger: Logger? = nil) {
        self.host = host
        self.requestedPort = port
        self.logger = logger ?? Logger(label: "daraja.callback-recorder")
    }

    public static let deliveryCountMax = 100_000

    static let acceptedReply = String(
        decoding: (try? JSONEncoder().encode(CallbackAcknowledgement.accepted)) ?? Data("{}".utf8), as: UTF8.self
    )

    /// The answer body and status for requests to `path` (default: 200 accepted). Lets the recorder
    /// also play a misbehaving Daraja in client tests.
    public func setReply(_ json: String, status: Int = 200, forPath path: String) {
        storage.withLock { $0.replies[path] = (json, status) }
    }

    public func run() async throws {
        defer { port.finish() }
        let router = Router(context: BasicRequestContext.self)
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let (reply, status) = self.record(path: request.uri.path, body: Data(buffer.readableBytesView))
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(
                status: HTTPResponse.Status(code: status), headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: reply))
            )
        }
        router.post("**", use: handler)
        router.get("**", use: handler)
        let port = self.port
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: requestedPort)),
            onServerRunning: { channel in
                if let bound = channel.localAddress?.port { port.set(bound) }
            },
            logger: logger
        )
        try await app.run()
    }

    private func record(path: String, body: Data) -> (String, Int) {
        storage.withLock { storage in
            storage.count += 1
            if storage.deliveries.count < Self.deliveryCountMax {
                storage.deliveries.append(Delivery(path: path, body: body))
            }
            return storage.replies[path] ?? (Self.acceptedReply, 200)
        }
    }

    /// The bound port, once listening.
    public func boundPort() async throws(NotRunning) -> Int {
        guard let bound = await port.wait() else { throw NotRunning() }
        return bound
    }

    /// `http://host:port` once listening.
    public func baseURL() async throws(NotRunning) -> String {
        "http://\(host):\(try await boundPort())"
    }

    /// Every POST received so far.
    public var count: Int { storage.withLock { $0.count } }

    /// The recorded deliveries to `path`.
    public func deliveries(to path: String) -> [Delivery] {
        storage.withLock { $0.deliveries.filter { $0.path == path } }
    }

    /// Waits until `path` received at least `count` deliveries or `timeoutMs` passed; returns what arrived.
    public func waitForDeliveries(to path: String, count: Int, timeoutMs: Int64 = 15_000) async -> [Delivery] {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        while true {
            let found = deliveries(to: path)
            if found.count >= count || ContinuousClock.now >= deadline { return found }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
}
