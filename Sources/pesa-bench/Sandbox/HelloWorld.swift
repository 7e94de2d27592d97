import DarajaSandbox
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The baseline: a hello-world Hummingbird route that reads the body and answers a small JSON.
struct HelloWorld: Service {
    let logger: Logger
    let port = BoundPort()

    func run() async throws {
        defer { port.finish() }
        let router = Router(context: BasicRequestContext.self)
        router.post("/hello") { request, _ -> Response in
            var request = request
            _ = try await request.collectBody(upTo: 64 * 1024)
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"hello":"world"}"#)))
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
}
