import Logging
import NIOCore

/// The front of every connection's pipeline: admits the connection if its client address and the server
/// are under their connection caps (otherwise closes it at once, before reading a byte), tells the
/// `RequestDeadlineHandler` when bytes arrive, and closes the connection when the client closes its side
/// while no request is being read, so an answered-to-nobody request is never started (`ClientGoneMiddleware`).
final class ConnectionGateHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let table: ConnectionTable
    private let deadlines: RequestDeadlineHandler
    private let logger: Logger
    private var decided = false
    private var admitted = false

    init(table: ConnectionTable, deadlines: RequestDeadlineHandler, logger: Logger) {
        self.table = table
        self.deadlines = deadlines
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admitOrClose(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        admitOrClose(context: context)
        if admitted { context.fireChannelActive() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard admitted else { return }
        deadlines.bytesArrived()
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(.inputClosed) = event as? ChannelEvent, deadlines.clientGoneOnEndOfInput {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func admitOrClose(context: ChannelHandlerContext) {
        guard !decided else { return }
        decided = true
        let address = context.channel.remoteAddress?.ipAddress ?? ""
        switch table.admit(address) {
        case .admitted:
            admitted = true
            let table = self.table
            context.channel.closeFuture.whenComplete { _ in table.release(address) }
        case .refusedTotal, .refusedPerAddress:
            context.close(promise: nil)
            if let refused = table.refusedCountDue(now: .now()) {
                let caps = "\(table.connectionsMax) in total, \(table.connectionsPerAddressMax) per client address"
                logger.warning(
                    "connections refused: \(refused) since the last warning (caps: \(caps))",
                    metadata: ["client": .string(address)])
            }
        }
    }
}
