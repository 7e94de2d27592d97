public import HummingbirdCore
public import Logging
public import NIOCore

extension HTTPServerBuilder {
    /// HTTP/1 whose connections are each handled on their own event loop (`EventLoopHTTP1Channel`).
    public static func http1OnEventLoops(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in
            EventLoopHTTP1Channel(http1: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}

/// Hummingbird's HTTP/1 channel, with each connection's task preferring the connection's own event loop as
/// its executor. A request then reaches its handler, and the response its socket, on the thread that read
/// it: no hop to the cooperative pool and back, which costs two thread wake-ups per request whenever the
/// threads are idle. Child tasks inherit the preference; unstructured tasks and services do not.
///
/// Work that blocks or computes for long (bcrypt) must leave the loop, as it must anyway: it would hold up
/// every connection the loop serves.
public struct EventLoopHTTP1Channel: ServerChildChannel {
    public typealias Value = HTTP1Channel.Value
    let http1: HTTP1Channel

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger)
    }

    public func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(loop: value.channel.eventLoop)) {
            await http1.handle(value: value, logger: logger)
        }
    }
}

/// Runs jobs on one NIO event loop.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
