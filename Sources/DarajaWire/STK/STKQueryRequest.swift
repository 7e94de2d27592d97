/// `POST /mpesa/stkpushquery/v1/query` body (Daraja's M-Pesa Express Query API documentation).
public struct STKQueryRequest: Codable, Sendable, Hashable {
    public var businessShortCode: FlexibleString
    public var password: String
    public var timestamp: String
    public var checkoutRequestID: String

    public init(businessShortCode: FlexibleString, password: String, timestamp: String, checkoutRequestID: String) {
        self.businessShortCode = businessShortCode
        self.password = password
        self.timestamp = timestamp
        self.checkoutRequestID = checkoutRequestID
    }

    enum CodingKeys: String, CodingKey {
        case businessShortCode = "BusinessShortCode"
        case password = "Password"
        case timestamp = "Timestamp"
        case checkoutRequestID = "CheckoutRequestID"
    }
}
