import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An organization's endpoint for `pesa-bench webhooks`, on 127.0.0.1 in the benchmark's own process.
/// `.answer`: every POST is answered `200` as soon as its body is in, and recorded (its `webhook-id`, its body,
/// when it arrived). `.hold`: every connection is accepted and read, and never answered, so each delivery holds
/// its slot in the gateway until the gateway's timeout; `stop()` closes them.
final class WebhookReceiver: Sendable {
    enum Mode: Sendable {
        case answer
        case hold
    }

    /// One POST that came in.
    struct Arrival: Sendable {
        /// Wall-clock milliseconds, comparable with the gateway's `created_at` and `updated_at`.
        let atMs: Int64
        let webhookID: String
        let body: [UInt8]
    }

    let mode: Mode
    private let listener: any Channel
    private let state: Mutex<State>

    struct State {
        var arrivals: [Arrival] = []
        var open: [ObjectIdentifier: any Channel] = [:]
        var openMax = 0
        var accepted = 0
    }

    var port: Int { listener.localAddress?.port ?? 0 }
    var url: String { "http://127.0.0.1:\(port)/hooks" }
    /// Everything recorded so far, in arrival order.
    var arrivals: [Arrival] { state.withLock { $0.arrivals } }
    var arrivalCount: Int { state.withLock { $0.arrivals.count } }
    /// Connections accepted so far, and the most open at once.
    var connections: (accepted: Int, openMax: Int) { state.withLock { ($0.accepted, $0.openMax) } }

    private init(mode: Mode, listener: any Channel) {
        self.mode = mode
        self.listener = listener
        self.state = Mutex(State())
    }

    static func start(_ mode: Mode) async throws -> WebhookReceiver {
        let box = StateBox()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 1_024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    box.receiver?.opened(channel)
                    switch mode {
                    case .answer:
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(AnswerHandler(receiver: box.receiver))
                    case .hold:
                        try channel.pipeline.syncOperations.addHandler(HoldHandler(receiver: box.receiver))
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let receiver = WebhookReceiver(mode: mode, listener: listener)
        box.receiver = receiver
        return receiver
    }

    /// Closes the listener and every connection still open.
    func stop() async {
        try? await listener.close()
        let open = state.withLock { Array($0.open.values) }
        for channel in open { try? await channel.close() }
    }

    fileprivate func opened(_ channel: any Channel) {
        state.withLock {
            $0.open[ObjectIdentifier(channel)] = channel
            $0.accepted += 1
            $0.openMax = max($0.openMax, $0.open.count)
        }
    }

    fileprivate func closed(_ channel: any Channel) {
        _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    fileprivate func record(_ arrival: Arrival) {
        state.withLock { $0.arrivals.append(arrival) }
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}

/// The receiver, known to the connections once the listener is bound (connections come only after).
private final class StateBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: WebhookReceiver?
    var receiver: WebhookReceiver? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// Answers each request `200` with an empty body once it is read, and records it; keeps the connection open for
/// the next request, as web servers do with HTTP/1.1, unless the request asks to close.
private final class AnswerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let receiver: WebhookReceiver?
    private var webhookID = ""
    private var body: [UInt8] = []
    private var keepAlive = true

    init(receiver: WebhookReceiver?) { self.receiver = receiver }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            webhookID = head.headers.first(name: "webhook-id") ?? ""
            keepAlive = head.isKeepAlive
            body = []
        case .body(let buffer):
            body += buffer.readableBytesView
        case .end:
            receiver?.record(.init(atMs: WebhookReceiver.nowMs(), webhookID: webhookID, body: body))
            var headers: HTTPHeaders = ["Content-Length": "0"]
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil
            )
            let channel = context.channel
            let close = !keepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if close { channel.close(promise: nil) }
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        receiver?.closed(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Reads and drops everything; never answers.
private final class HoldHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let receiver: WebhookReceiver?

    init(receiver: WebhookReceiver?) { self.receiver = receiver }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func channelInactive(context: ChannelHandlerContext) {
        receiver?.closed(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
