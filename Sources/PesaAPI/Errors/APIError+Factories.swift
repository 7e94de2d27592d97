public import Hummingbird
import HTTPTypes
import PesaCore

/// Named constructors that capture where the error was raised (`#fileID` and `#line`).
extension APIError {
    public static func malformedJSON(
        _ message: String = "the request body is not valid JSON", fileID: String = #fileID, line: Int = #line
    ) -> Self {
        Self(.malformedJSON, message, fileID: fileID, line: line)
    }

    /// Always the same message, whatever was wrong with the credentials (no oracle for forgers).
    public static func unauthenticated(fileID: String = #fileID, line: Int = #line) -> Self {
        Self(.unauthenticated, "missing or invalid credentials", fileID: fileID, line: line)
    }

    public static func forbidden(
        _ message: String = "your role may not do this", fileID: String = #fileID, line: Int = #line
    ) -> Self {
        Self(.forbidden, message, fileID: fileID, line: line)
    }

    /// Also the answer for any object of another organization, exactly as if it did not exist.
    public static func notFound(
        _ message: String = "no such object", fileID: String = #fileID, line: Int = #line
    ) -> Self {
        Self(.notFound, message, fileID: fileID, line: line)
    }

    public static func conflict(_ message: String, param: String? = nil, fileID: String = #fileID, line: Int = #line)
        -> Self
    {
        Self(.conflict, message, param: param, fileID: fileID, line: line)
    }

    /// `bytesMax` defaults to `Limits.requestBodyBytesMax`.
    public static func payloadTooLarge(bytesMax: Int? = nil, fileID: String = #fileID, line: Int = #line) -> Self {
        let message = "the request body exceeds \(bytesMax ?? Limits.requestBodyBytesMax) bytes"
        return Self(.payloadTooLarge, message, fileID: fileID, line: line)
    }

    public static func unsupportedMediaType(fileID: String = #fileID, line: Int = #line) -> Self {
        Self(.unsupportedMediaType, "the request body must be application/json", fileID: fileID, line: line)
    }

    public static func invalidField(_ param: String, _ message: String, fileID: String = #fileID, line: Int = #line)
        -> Self
    {
        Self(.invalidField, message, param: param, fileID: fileID, line: line)
    }

    public static func subscriptionInactive(
        _ message: String = "the organization's subscription is not active", fileID: String = #fileID,
        line: Int = #line
    ) -> Self {
        Self(.subscriptionInactive, message, fileID: fileID, line: line)
    }

    /// 429 with `Retry-After` (whole seconds, at least 1) plus any `RateLimit-*` headers passed in.
    public static func rateLimited(
        retryAfterMs: Int64, headers: HTTPFields = [:], fileID: String = #fileID, line: Int = #line
    ) -> Self {
        var fields = headers
        fields[.retryAfter] = String(max(1, (retryAfterMs + 999) / 1000))
        return Self(.rateLimited, "too many requests; retry later", headers: fields, fileID: fileID, line: line)
    }

    /// The request's head did not complete within the head timeout, or its body stalled for the body timeout.
    public static func requestTimeout(headTimeout: Bool, fileID: String = #fileID, line: Int = #line) -> Self {
        let message = headTimeout
            ? "the request head did not arrive in time; the connection is closed"
            : "the request body stopped arriving; the connection is closed"
        return Self(.requestTimeout, message, fileID: fileID, line: line)
    }

    /// The catch-all: says nothing about what went wrong, only the request id (added when rendered) does.
    public static func internalError(fileID: String = #fileID, line: Int = #line) -> Self {
        Self(.internalError, "internal error; quote the request id when reporting it", fileID: fileID, line: line)
    }
}
