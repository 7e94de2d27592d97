public import Hummingbird
import HTTPTypes
import NIOCore
import PesaCore

/// Refuses bodies larger than `bytesMax` with 413: at once when `Content-Length` says so, otherwise while
/// collecting (chunked bodies are read into memory up to the limit, never beyond).
public struct BodyLimitMiddleware: RouterMiddleware {
    public typealias Context = PesaRequestContext

    let bytesMax: Int

    /// `bytesMax` defaults to `Limits.requestBodyBytesMax`.
    public init(bytesMax: Int? = nil) {
        self.bytesMax = bytesMax ?? Limits.requestBodyBytesMax
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.hasBody else { return try await next(request, context) }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > bytesMax {
            throw APIError.payloadTooLarge()
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: bytesMax)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge()
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
