import NIOCore
import NIOHTTP1
import Synchronization

/// One connection to an endpoint, reused across deliveries while the endpoint keeps it alive. A request on it
/// ends in an answer (and whether the connection may carry another) or in a failure (and whether any byte of
/// answer had come, which tells a connection the endpoint closed while idle from one that failed this request).
struct WebhookConnection: Sendable {
    enum Outcome: Sendable {
        case answered(WebhookResponse, reusable: Bool)
        case failed(any Error, anythingReceived: Bool)
    }

    let channel: any Channel
    /// The connection's `WebhookAnswerHandler`, kept from its making: a closed channel's pipeline has none left.
    let handler: NIOLoopBound<WebhookAnswerHandler>

    /// One request and its answer, within `deadline` (past it the connection is closed under them, as it is when
    /// the task is cancelled: the gateway shutting down).
    func exchange(head: HTTPRequestHead, body: [UInt8], start: NIODeadline, deadline: NIODeadline) async -> Outcome {
        let channel = self.channel
        let bound = self.handler
        let promise = channel.eventLoop.makePromise(of: WebhookAnswerHandler.Answer.self)
        channel.eventLoop.execute {
            bound.value.begin(promise, start: start)
            let written = channel.eventLoop.makePromise(of: Void.self)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: written)
            // The endpoint may answer and close before the write is acknowledged, and a failed TLS handshake closes
            // the connection under the write: the answer, or why there was none, comes from the inbound side.
            written.futureResult.whenFailure { error in
                bound.value.note(error)
                channel.close(promise: nil)
            }
        }
        let timer = channel.eventLoop.scheduleTask(deadline: deadline) { channel.close(promise: nil) }
        defer { timer.cancel() }
        do {
            let answer = try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                channel.close(promise: nil)
            }
            return .answered(answer.response, reusable: answer.reusable)
        } catch let failure as WebhookExchangeFailure {
            return .failed(failure.cause, anythingReceived: failure.anythingReceived)
        } catch {
            return .failed(error, anythingReceived: true)
        }
    }

    func close() { channel.close(promise: nil) }
}

/// The connection closed before an answer, with no other error seen.
struct WebhookConnectionClosed: Error {}

/// Why a request on a connection got no answer, and whether any byte of answer had come.
struct WebhookExchangeFailure: Error {
    let cause: any Error
    let anythingReceived: Bool
}

/// The last handler of a webhook connection: gathers the answer to the request under way (its head, at most
/// `WebhookResponse.bodyPrefixBytesMax` bytes of body) and completes it at the answer's end; a body longer than
/// that, an answer asking to close or one cut short leaves the connection not reusable. Runs on the channel's
/// event loop only.
final class WebhookAnswerHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    struct Answer: Sendable {
        let response: WebhookResponse
        let reusable: Bool
    }

    private var promise: EventLoopPromise<Answer>?
    private var start = NIODeadline.now()
    private var statusCode: Int?
    private var latencyMs: Int64 = 0
    private var retryAfter: String?
    private var keepAlive = false
    private var bodyBytes: [UInt8] = []
    private var received = false
    private var error: (any Error)?
    private var active = true

    func begin(_ promise: EventLoopPromise<Answer>, start: NIODeadline) {
        self.promise = promise
        self.start = start
        statusCode = nil
        retryAfter = nil
        keepAlive = false
        bodyBytes = []
        received = false
        // `error` stays: one seen before the request (a failed TLS handshake) is why this connection is closed.
        if !active { fail() }
    }

    func note(_ error: any Error) {
        if self.error == nil { self.error = error }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received = true
        guard promise != nil else {
            // Bytes on an idle connection answer nothing: the connection is not in a state to reuse.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            // An informational answer (1xx) comes before the real one.
            guard head.status.code >= 200 || head.status.code == 101 else { return }
            statusCode = Int(head.status.code)
            latencyMs = WebhookHTTPClient.ms(since: start)
            retryAfter = head.headers.first(name: "Retry-After")
            keepAlive = head.isKeepAlive
        case .body(var buffer):
            guard statusCode != nil else { return }
            let room = WebhookResponse.bodyPrefixBytesMax - bodyBytes.count
            bodyBytes += buffer.readBytes(length: min(room, buffer.readableBytes)) ?? []
            if bodyBytes.count >= WebhookResponse.bodyPrefixBytesMax {
                succeed(reusable: false)
                context.close(promise: nil)
            }
        case .end:
            guard statusCode != nil else { return }  // the end of an informational answer
            succeed(reusable: keepAlive)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        note(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        // The answer's head came; a body cut short (closed, timed out) leaves what was read.
        if statusCode != nil { succeed(reusable: false) } else { fail() }
        context.fireChannelInactive()
    }

    private func succeed(reusable: Bool) {
        guard let promise else { return }
        self.promise = nil
        let response = WebhookResponse(
            statusCode: statusCode, latencyMs: latencyMs, error: nil, retryAfter: retryAfter,
            bodyPrefix: String(decoding: bodyBytes, as: UTF8.self))
        promise.succeed(Answer(response: response, reusable: reusable))
    }

    private func fail() {
        guard let promise else { return }
        self.promise = nil
        promise.fail(WebhookExchangeFailure(cause: error ?? WebhookConnectionClosed(), anythingReceived: received))
    }
}

/// Idle connections to endpoints, by host and checked address: the most recently used is taken first; one idle
/// for `idleMs` is closed; at most `perKeyMax` wait per key (more are closed).
final class WebhookConnectionPool: Sendable {
    struct Key: Hashable, Sendable {
        let address: String
        let port: Int
        let host: String
        let tls: Bool
    }

    private struct Idle: Sendable {
        let connection: WebhookConnection
        let token: UInt64
        let since: NIODeadline
    }

    private struct State {
        var idle: [Key: [Idle]] = [:]
        var nextToken: UInt64 = 0
    }

    static let perKeyMax = 32
    let idleMs: Int64
    private let state = Mutex(State())

    init(idleMs: Int64) { self.idleMs = idleMs }

    var count: Int { state.withLock { $0.idle.values.reduce(0) { $0 + $1.count } } }

    /// An idle connection still open to `key`, if one is.
    func take(_ key: Key) -> WebhookConnection? {
        let oldest = NIODeadline.now() - .milliseconds(idleMs)
        var stale: [WebhookConnection] = []
        let found = state.withLock { state -> WebhookConnection? in
            while let idle = state.idle[key]?.popLast() {
                if state.idle[key]?.isEmpty == true { state.idle[key] = nil }
                if idle.since > oldest, idle.connection.channel.isActive { return idle.connection }
                stale.append(idle.connection)
            }
            return nil
        }
        for connection in stale { connection.close() }
        return found
    }

    /// Keeps `connection` for the next request to `key`, closing it after `idleMs` unused.
    func put(_ connection: WebhookConnection, key: Key) {
        let token = state.withLock { state -> UInt64? in
            guard state.idle[key, default: []].count < Self.perKeyMax else { return nil }
            state.nextToken += 1
            state.idle[key, default: []].append(Idle(connection: connection, token: state.nextToken, since: .now()))
            return state.nextToken
        }
        guard let token else { return connection.close() }
        connection.channel.eventLoop.scheduleTask(in: .milliseconds(idleMs)) { [self] in
            let expired = state.withLock { state -> Bool in
                guard let index = state.idle[key]?.firstIndex(where: { $0.token == token }) else { return false }
                state.idle[key]?.remove(at: index)
                if state.idle[key]?.isEmpty == true { state.idle[key] = nil }
                return true
            }
            if expired { connection.close() }
        }
    }
}
