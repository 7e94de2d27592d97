import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1

/// Keeps one connection's request on time and answers what the HTTP parser refuses, in the contract's error
/// shape. It sits right after NIO's request decoder, so it sees decoded request parts and every parse error
/// before Hummingbird does; `ConnectionGateHandler`, at the front of the pipeline, tells it when bytes arrive.
///
/// | phase      | entered when                          | deadline                       | on a parse error          |
/// |------------|---------------------------------------|--------------------------------|---------------------------|
/// | `waiting`  | start; the last answer was written    | none (Hummingbird's idle one)  | answered here, closed     |
/// | `head`     | the first byte of a request arrives   | head timeout: 408 here, closed | answered here, closed     |
/// | `body`     | the request head is decoded           | body timeout after each byte:  | passed on: the route's    |
/// |            |                                       | the route's body read fails,   | body read fails, answered |
/// |            |                                       | answered 408, closed           | by ErrorMiddleware, closed|
/// | `handling` | the request's end is decoded          | none                           | answered after the current|
/// |            |                                       |                                | answer, closed            |
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    enum Phase { case waiting, head, body, handling }

    private(set) var phase = Phase.waiting
    private let headTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private let logger: Logger
    private var context: ChannelHandlerContext?
    private var deadline: NIODeadline?
    private var scheduled: (task: Scheduled<Void>, at: NIODeadline)?
    /// Close the connection once the current answer is written (and write this error answer first).
    private var closeAfterAnswer = false
    private var pendingAnswer: APIError?
    /// Nothing more is read or answered: an error answer is written and the connection is closing.
    private var finished = false

    init(headTimeoutSeconds: Int64, bodyTimeoutSeconds: Int64, logger: Logger) {
        self.headTimeout = .seconds(headTimeoutSeconds)
        self.bodyTimeout = .seconds(bodyTimeoutSeconds)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        scheduled?.task.cancel()
        scheduled = nil
        self.context = nil
    }

    /// Bytes arrived from the client (called by `ConnectionGateHandler` before they are decoded).
    func bytesArrived() {
        switch phase {
        case .waiting:
            phase = .head
            arm(headTimeout)
        case .body:
            arm(bodyTimeout)
        case .head, .handling:
            break
        }
    }

    /// Whether the client closing its side now means it has gone: true unless a request is being read
    /// (the parser then reports the truncated request).
    var clientGoneOnEndOfInput: Bool { phase == .waiting || phase == .handling }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        switch unwrapInboundIn(data) {
        case .head:
            phase = .body
            arm(bodyTimeout)
        case .body:
            break
        case .end:
            phase = .handling
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        guard !finished else { return }
        let answer = ErrorMapping.apiError(forParseError: parseError)
        switch phase {
        case .waiting, .head:
            answerAndClose(answer, context: context)
        case .body:
            // The route is reading this request's body: its read fails and ErrorMiddleware answers.
            closeAfterAnswer = true
            context.fireErrorCaught(error)
        case .handling:
            closeAfterAnswer = true
            pendingAnswer = answer
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !finished else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        guard case .end = unwrapOutboundIn(data) else { return context.write(data, promise: promise) }
        if phase == .handling { phase = .waiting }
        guard closeAfterAnswer else { return context.write(data, promise: promise) }
        finished = true
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(data, promise: written)
        written.futureResult.assumeIsolated().whenComplete { [self] result in
            promise?.completeWith(result)
            if let answer = self.pendingAnswer {
                self.answerAndClose(answer, context: context)
            } else {
                context.close(promise: nil)
            }
        }
    }

    // MARK: Deadlines

    private func arm(_ timeout: TimeAmount) {
        let due = NIODeadline.now() + timeout
        deadline = due
        if let scheduled, scheduled.at <= due { return }
        scheduled?.task.cancel()
        schedule(at: due)
    }

    private func schedule(at due: NIODeadline) {
        guard let context else { return }
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
            self.scheduled = nil
            self.deadlinePassedOrRescheduled()
        }
        scheduled = (task, due)
    }

    private func deadlinePassedOrRescheduled() {
        guard let due = deadline, let context, !finished else { return }
        guard NIODeadline.now() >= due else { return schedule(at: due) }
        deadline = nil
        switch phase {
        case .head:
            answerAndClose(.requestTimeout(headTimeout: true), context: context)
        case .body:
            // The route's body read fails; ErrorMiddleware answers 408 and logs it once.
            closeAfterAnswer = true
            context.fireErrorCaught(RequestBodyTimeoutError())
            // If the route never answers, the connection still closes after another body timeout.
            deadline = NIODeadline.now() + bodyTimeout
            phase = .handling
            schedule(at: NIODeadline.now() + bodyTimeout)
        case .waiting, .handling:
            if closeAfterAnswer {
                finished = true
                context.close(promise: nil)
            }
        }
    }

    /// Writes `answer` in the contract's error shape with `Connection: close`, logs it once, and closes.
    private func answerAndClose(_ answer: APIError, context: ChannelHandlerContext) {
        let requestID = RequestIDGenerator.next()
        logger.warning(
            "request refused before routing: \(answer.message)",
            metadata: [
                "request_id": .string(requestID), "status": .stringConvertible(answer.status.code),
                "error.code": .string(answer.code.rawValue),
                "client": .string(context.channel.remoteAddress?.ipAddress ?? ""),
            ])
        let body = answer.encodedBody(requestID: requestID)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json; charset=utf-8")
        headers.add(name: "content-length", value: String(body.readableBytes))
        headers.add(name: "x-request-id", value: requestID)
        headers.add(name: "connection", value: "close")
        let status = HTTPResponseStatus(statusCode: answer.status.code, reasonPhrase: answer.status.reasonPhrase)
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
        finished = true
        deadline = nil
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}

/// A request body that made no progress for the body timeout: its route's body read fails with this, and
/// `ErrorMapping` answers it 408.
struct RequestBodyTimeoutError: Error, Sendable {}
