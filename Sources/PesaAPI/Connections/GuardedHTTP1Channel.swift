public import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import PesaCore

/// Hummingbird's HTTP/1.1 channel with the gateway's connection guards: its idle timeout and header limits,
/// then `RequestDeadlineHandler` right after the request decoder and `ConnectionGateHandler` at the front,
/// sharing one `ConnectionTable` across connections.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let settings: ConnectionSettings
    let table: ConnectionTable

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let settings = self.settings
        let table = self.table
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let deadlines = RequestDeadlineHandler(
                headTimeoutSeconds: settings.requestHeadTimeoutSeconds,
                bodyTimeoutSeconds: settings.requestBodyTimeoutSeconds, logger: logger)
            try pipeline.addHandler(deadlines, position: .after(decoder))
            try pipeline.addHandler(
                ConnectionGateHandler(table: table, deadlines: deadlines, logger: logger), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the gateway's connection guards (`ConnectionSettings`): idle, head and body timeouts,
    /// connection caps in total and per client address, header limits of `Limits`.
    public static func guardedHTTP1(settings: ConnectionSettings) -> HTTPServerBuilder {
        let table = ConnectionTable(
            connectionsMax: settings.connectionsMax, connectionsPerAddressMax: settings.connectionsPerAddressMax)
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: Limits.requestHeaderFieldBytesMax, maxHeaderListSize: Limits.requestHeadersBytesMax,
            maxHeaderFieldCount: Limits.requestHeaderFieldsCountMax)
        let configuration = HTTP1Channel.Configuration(
            idleTimeout: .seconds(settings.idleTimeoutSeconds), httpDecoderConfiguration: decoder)
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                base: HTTP1Channel(responder: responder, configuration: configuration), settings: settings,
                table: table)
        }
    }
}
