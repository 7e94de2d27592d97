public import Hummingbird
import HTTPTypes
import Logging
import NIOHTTP1

/// Turns anything thrown below it (unknown routes, Hummingbird's own decoding and body-size errors, domain
/// errors, bugs) into the contract's error object, through `ErrorMapping`; under `/ui`, into the dashboard's
/// page. 5xx answers are logged with the error's type and where it was raised, never its free-text description.
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = PesaRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = ErrorMapping.apiError(for: error)
            var metadata: Logger.Metadata = [
                "error.code": .string(apiError.code.rawValue),
                "error.type": .string(String(describing: type(of: apiError.cause ?? error))),
                "error.location": .string(apiError.location),
            ]
            if let cause = apiError.cause, let description = ErrorMapping.loggableDescription(of: cause) {
                metadata["error.cause"] = .string(description)
            }
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: metadata)
            } else if apiError.code == .requestTimeout || apiError.cause is HTTPParserError {
                // Malformed or stalled HTTP: one warning per request, whatever the connection sends after it.
                context.logger.warning("request refused: \(apiError.message)", metadata: metadata)
            } else {
                context.logger.debug("request refused", metadata: metadata)
            }
            // A dashboard page refused before its route ran (a body over the limit, say): a page, not JSON.
            if DashboardPaths.isDashboard(request.uri.path) {
                let page = DashboardMiddleware.page(for: error, request: request, context: context)
                return DashboardMiddleware.secured(page)
            }
            return apiError.response(requestID: context.requestID)
        }
    }
}
