public import Hummingbird
import HTTPTypes
import Foundation
import NIOCore

extension APIError: HTTPResponseError {
    /// The answer for this error on request `requestID`.
    public func response(requestID: String) -> Response {
        let body = encodedBody(requestID: requestID)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(body.readableBytes)
        fields[.requestID] = requestID
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }

    /// The contract's error object for this error on request `requestID`, as JSON.
    func encodedBody(requestID: String) -> ByteBuffer {
        let problems = fieldErrors.map { FieldProblem(param: $0.param, message: $0.message) }
        let envelope = ErrorEnvelope(
            error: .init(
                type: code.type.rawValue, code: code.rawValue, message: message, param: param, requestID: requestID,
                errors: problems.isEmpty ? nil : problems))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding five strings cannot fail; if it ever did, answer with a fixed body rather than crash.
        let data = (try? encoder.encode(envelope)) ?? Data(#"{"error":{"code":"INTERNAL"}}"#.utf8)
        return ByteBuffer(bytes: data)
    }

    /// Used by Hummingbird when the error escapes every middleware (should not happen: `ErrorMiddleware`
    /// renders first). Finds the request id if the context is ours.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestID = (context as? PesaRequestContext)?.requestID ?? RequestIDGenerator.next()
        return response(requestID: requestID)
    }
}
