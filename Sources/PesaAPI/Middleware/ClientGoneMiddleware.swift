public import Hummingbird
import HTTPTypes

/// The innermost middleware: a request that changes something (any method but GET, HEAD and OPTIONS) is not
/// started when its client has already closed the connection, so a request abandoned while it waited (behind
/// a flood, a slow engine or earlier requests on its connection) is never executed for nobody. It answers
/// 499 `CLIENT_CLOSED_REQUEST`, which only the access log and the metrics see.
///
/// A connection of a real server (one with a listening parent) that is no longer active is a gone client:
/// `ConnectionGateHandler` closes the connection when the client closes its side between requests.
public struct ClientGoneMiddleware: RouterMiddleware {
    public typealias Context = PesaRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        switch request.method {
        case .get, .head, .options:
            return try await next(request, context)
        default:
            let connection = context.connection
            if connection.parent != nil, !connection.isActive {
                throw APIError(.clientClosedRequest, "the client closed the connection before the request started")
            }
            return try await next(request, context)
        }
    }
}
