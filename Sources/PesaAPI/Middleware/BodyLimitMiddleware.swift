public import Hummingbird
import HTTPTypes
import NIOCore
import PesaCore

/// Refuses bodies larger than the route's limit with 413: at once when `Content-Length` says so, otherwise
/// while collecting (chunked bodies are read into memory up to the limit, never beyond). The limit is the
/// route's `RouteSpec.bodyBytesMax` when it sets one, else `bytesMax`; it is passed on in
/// `context.bodyBytesMax` for `Request.decodeJSON`.
public struct BodyLimitMiddleware: RouterMiddleware {
    public typealias Context = PesaRequestContext

    let bytesMax: Int
    let routeLimits: RouteBodyLimits?

    /// `bytesMax` defaults to `Limits.requestBodyBytesMax`.
    public init(bytesMax: Int? = nil) {
        self.bytesMax = bytesMax ?? Limits.requestBodyBytesMax
        self.routeLimits = nil
    }

    init(routeLimits: RouteBodyLimits) {
        self.bytesMax = Limits.requestBodyBytesMax
        self.routeLimits = routeLimits
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let route = context.endpointPath.map { "\(request.method.rawValue) \($0)" }
        let limit = route.flatMap { routeLimits?.bytesMax(forRoute: $0) } ?? bytesMax
        context.bodyBytesMax = limit
        guard request.hasBody else { return try await next(request, context) }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw APIError.payloadTooLarge(bytesMax: limit)
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(bytesMax: limit)
        }
        return try await next(request, context)
    }
}

extension Request {
    /// Whether the request announces a body (a non-zero `Content-Length`, or chunked transfer).
    var hasBody: Bool {
        if let length = headers[.contentLength] { return length != "0" }
        return headers[.transferEncoding] != nil
    }
}
