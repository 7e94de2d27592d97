public import Hummingbird
import HTTPTypes
import Logging

/// Outermost middleware: keeps a sane incoming `X-Request-Id` or makes a `req_…`, puts it in the logger's
/// metadata, and sets `X-Request-Id` on every answer, error answers included.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = PesaRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        // The context already holds a fresh `req_…`; a sane incoming id replaces it.
        if let incoming = request.headers[.requestID], RequestIDGenerator.isSane(incoming) {
            context.requestID = incoming
        }
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // `ErrorMiddleware` normally answers first; this keeps the contract if it is not installed.
            response = ErrorMapping.apiError(for: error).response(requestID: context.requestID)
        }
        response.headers[.requestID] = context.requestID
        return response
    }
}
