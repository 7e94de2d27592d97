/// `POST /mpesa/c2b/v1/registerurl` (or v2) body (Daraja's Customer To Business (C2B)
/// Register URL API documentation).
public struct C2BRegisterURLRequest: Codable, Sendable, Hashable {
    public var shortCode: FlexibleString
    /// `Completed` or `Cancelled`: what happens when the validation URL does not answer.
    public var responseType: String
    public var confirmationURL: String
    public var validationURL: String

    public init(shortCode: FlexibleString, responseType: String, confirmationURL: String, validationURL: String) {
        self.shortCode = shortCode
        self.responseType = responseType
        self.confirmationURL = confirmationURL
        self.validationURL = validationURL
    }

    enum CodingKeys: String, CodingKey {
        case shortCode = "ShortCode"
        case responseType = "ResponseType"
        case confirmationURL = "ConfirmationURL"
        case validationURL = "ValidationURL"
    }
}
