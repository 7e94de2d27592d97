import DarajaWire

/// The one error of DarajaClient. It carries Daraja's HTTP status, `errorCode` and `errorMessage` when
/// Daraja answered, and never a secret (consumer secret, passkey, initiator password, access token).
public struct DarajaError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// Daraja answered with an error envelope: the request was refused and nothing happened.
        case rejected
        /// A money-moving request may have reached Daraja but no usable answer came back.
        /// Do not re-send it: settle it with a query (STK query, transaction status).
        case outcomeUnknown
        /// The request certainly never reached Daraja (connection refused or not established). Safe to retry later.
        case unreachable
        /// A query failed on the network or with a server error after its bounded retries.
        case transport
        /// Daraja answered 2xx with a body we could not decode (for a query; a mutation gets `.outcomeUnknown`).
        case invalidResponse
        /// OAuth failed: wrong consumer key/secret (`400.008.01`) or similar.
        case authentication
        /// The certificate could not be read or the credential could not be encrypted.
        case invalidCertificate
        /// The caller's input cannot be sent (bad URL, unencodable body).
        case invalidInput
    }

    public let code: Code
    public let message: String
    /// The HTTP status of Daraja's answer, when there was one.
    public let httpStatus: Int?
    /// Daraja's `errorCode` (`404.001.03`, `500.001.1001`...), when its envelope came back.
    public let darajaErrorCode: String?
    /// Daraja's `errorMessage`, with any access token scrubbed out.
    public let darajaErrorMessage: String?
    /// Daraja's `requestId`, when its envelope came back.
    public let requestID: String?
    /// The underlying error (network, decoding), when there is one. Never holds a secret.
    public let cause: (any Error & Sendable)?
    /// `file:line` where the error was made.
    public let location: String

    init(
        code: Code, message: String, httpStatus: Int? = nil, envelope: ErrorEnvelope? = nil,
        cause: (any Error & Sendable)? = nil, fileID: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.darajaErrorCode = envelope?.errorCode
        self.darajaErrorMessage = envelope?.errorMessage
        self.requestID = envelope?.requestID
        self.cause = cause
        self.location = "\(fileID):\(line)"
    }

    public var description: String {
        var text = "DarajaError.\(code): \(message)"
        if let httpStatus { text += " [HTTP \(httpStatus)]" }
        if let darajaErrorCode { text += " [\(darajaErrorCode): \(darajaErrorMessage ?? "")]" }
        if let cause { text += " (cause: \(String(describing: type(of: cause))))" }
        return text + " (at \(location))"
    }

    /// Whether Daraja said the STK payment is still pending (`500.001.1001` "being processed").
    public var isBeingProcessed: Bool {
        darajaErrorCode == DarajaErrorCode.merchantValidation
            && darajaErrorMessage?.lowercased().contains("being processed") == true
    }

    static func rejected(
        _ status: Int, _ envelope: ErrorEnvelope?, fileID: String = #fileID, line: Int = #line
    ) -> Self {
        .init(
            code: .rejected, message: "Daraja rejected the request", httpStatus: status, envelope: envelope,
            fileID: fileID, line: line
        )
    }

    static func outcomeUnknown(
        _ reason: String, status: Int? = nil, envelope: ErrorEnvelope? = nil, cause: (any Error & Sendable)? = nil,
        fileID: String = #fileID, line: Int = #line
    ) -> Self {
        .init(
            code: .outcomeUnknown, message: "outcome unknown: \(reason); settle it with a query", httpStatus: status,
            envelope: envelope, cause: cause, fileID: fileID, line: line
        )
    }

    static func unreachable(_ cause: any Error & Sendable, fileID: String = #fileID, line: Int = #line) -> Self {
        .init(code: .unreachable, message: "could not connect to Daraja", cause: cause, fileID: fileID, line: line)
    }

    static func transport(
        _ reason: String, status: Int? = nil, envelope: ErrorEnvelope? = nil, cause: (any Error & Sendable)? = nil,
        fileID: String = #fileID, line: Int = #line
    ) -> Self {
        .init(
            code: .transport, message: reason, httpStatus: status, envelope: envelope, cause: cause, fileID: fileID,
            line: line
        )
    }

    static func invalidResponse(
        _ reason: String, status: Int, cause: (any Error & Sendable)? = nil, fileID: String = #fileID, line: Int = #line
    ) -> Self {
        .init(code: .invalidResponse, message: reason, httpStatus: status, cause: cause, fileID: fileID, line: line)
    }

    static func authentication(
        _ status: Int, _ envelope: ErrorEnvelope?, fileID: String = #fileID, line: Int = #line
    ) -> Self {
        .init(
            code: .authentication, message: "Daraja refused the consumer key/secret", httpStatus: status,
            envelope: envelope, fileID: fileID, line: line
        )
    }

    static func invalidCertificate(
        _ reason: String, cause: (any Error & Sendable)? = nil, fileID: String = #fileID, line: Int = #line
    ) -> Self {
        .init(code: .invalidCertificate, message: reason, cause: cause, fileID: fileID, line: line)
    }

    static func invalidInput(_ reason: String, fileID: String = #fileID, line: Int = #line) -> Self {
        .init(code: .invalidInput, message: reason, fileID: fileID, line: line)
    }
}
