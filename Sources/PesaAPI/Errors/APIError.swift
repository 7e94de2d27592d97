public import Hummingbird
import HTTPTypes

/// The one error the HTTP layer answers with: a stable code, a message fit for a
/// caller (never a secret, never a stack trace), the field it names when there is one, extra headers
/// (`Retry-After`, `RateLimit-*`), and where it was raised. Rendered as the contract's error object by
/// `APIError+Response.swift`; domain errors become an `APIError` only in `ErrorMapping.swift`.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public let code: Code
    public let message: String
    /// The request field the error is about (`limit`, `phone`, `items[0].amount`), for 422 answers.
    public let param: String?
    /// Headers added to the error answer.
    public var headers: HTTPFields
    /// The domain error this one was mapped from (logged by type, never answered).
    public var cause: (any Error)?
    public let location: String
    /// Every invalid field when there are several (`errors` of the error object), each `(param, message)`.
    public var fieldErrors: [(param: String, message: String)] = []

    public init(
        _ code: Code, _ message: String, param: String? = nil, headers: HTTPFields = [:],
        fileID: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.param = param
        self.headers = headers
        self.cause = nil
        self.location = "\(fileID):\(line)"
    }

    public var status: HTTPResponse.Status { code.status }

    public var description: String {
        let named = param.map { " (\($0))" } ?? ""
        return "\(code.rawValue)\(named): \(message) [\(location)]"
    }
}
