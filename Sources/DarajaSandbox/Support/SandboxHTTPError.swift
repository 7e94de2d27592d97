import DarajaWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A Daraja error envelope with its HTTP status: `{ "requestId", "errorCode", "errorMessage" }`.
struct SandboxHTTPError: HTTPResponseError {
    let status: HTTPResponse.Status
    let envelope: ErrorEnvelope

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, requestID: String? = nil) {
        self.status = status
        self.envelope = ErrorEnvelope(
            requestID: requestID ?? IDGenerator.requestID(), errorCode: code, errorMessage: message)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(envelope, status: status)
    }

    /// `400.002.02 Bad Request - Invalid <field>`.
    static func invalid(_ field: DarajaField) -> Self {
        .init(.badRequest, DarajaErrorCode.invalidField, "Bad Request - Invalid \(field.rawValue)")
    }

    static let invalidPayload = Self(.badRequest, DarajaErrorCode.invalidPayload, "Invalid Request Payload")
    static let internalError = Self(.internalServerError, DarajaErrorCode.internalServerError, "Internal Server Error")
    static let wrongCredentials = Self(.internalServerError, DarajaErrorCode.merchantValidation, "Wrong credentials")
    static let merchantDoesNotExist = Self(
        .internalServerError, DarajaErrorCode.merchantValidation, "Merchant does not exist"
    )
}
