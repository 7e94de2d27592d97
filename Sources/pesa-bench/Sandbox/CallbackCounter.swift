import DarajaSandbox
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The merchant side of the sandbox benchmark: a loopback HTTP server that counts the callbacks it receives
/// and answers each with Daraja's acknowledgement. Keeps nothing else.
final class CallbackCounter: Service, Sendable {
    private let received = Atomic<Int>(0)
    private let port = BoundPort()
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Callbacks received so far.
    var count: Int { received.load(ordering: .relaxed) }

    func run() async throws {
        defer { port.finish() }
        let router = Router(context: BasicRequestContext.self)
        router.post("**") { request, _ -> Response in
            var request = request
            _ = try await request.collectBody(upTo: 1 << 20)
            self.received.add(1, ordering: .relaxed)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"ResultCode":0,"ResultDesc":"Accepted"}"#)))
        }
        let port = self.port
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                if let bound = channel.localAddress?.port { port.set(bound) }
            },
            logger: logger
        )
        try await app.run()
    }

    /// `http://127.0.0.1:port` once listening.
    func baseURL() async throws -> String {
        guard let bound = await port.wait() else { throw CallbackCounterStopped() }
        return "http://127.0.0.1:\(bound)"
    }
}

struct CallbackCounterStopped: Error {}
