public import Hummingbird
import HTTPTypes
public import Logging
import PesaCore

/// One line per request: method, route template, status, milliseconds, request id (logger metadata) and
/// tenant. Never a header value, a query string or a body: tokens and secrets cannot reach the log.
public struct AccessLogMiddleware: RouterMiddleware {
    public typealias Context = PesaRequestContext

    let level: Logger.Level

    public init(level: Logger.Level = .info) {
        self.level = level
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        context.logger.log(
            level: level, "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "route": .string(context.endpointPath ?? "NotFound"),
                "status": .stringConvertible(response.status.code),
                "ms": .stringConvertible(ms),
                "tenant": .string(context.trace.organizationID?.rawValue ?? "-"),
            ])
        return response
    }
}
