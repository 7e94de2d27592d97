/// Daraja's synchronous error body: `{ "requestId", "errorCode", "errorMessage" }`
/// (Daraja's API documentation, error responses).
public struct ErrorEnvelope: Codable, Sendable, Hashable {
    public var requestID: String
    public var errorCode: String
    public var errorMessage: String

    public init(requestID: String, errorCode: String, errorMessage: String) {
        self.requestID = requestID
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "requestId"
        case errorCode
        case errorMessage
    }
}
