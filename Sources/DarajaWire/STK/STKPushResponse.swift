/// The synchronous STK push acknowledgement (Daraja's M-Pesa Express (STK Push) API
/// documentation). All values are strings.
public struct STKPushResponse: Codable, Sendable, Hashable {
    public var merchantRequestID: String
    public var checkoutRequestID: String
    public var responseCode: FlexibleString
    public var responseDescription: String
    public var customerMessage: String

    public init(
        merchantRequestID: String, checkoutRequestID: String, responseCode: FlexibleString,
        responseDescription: String, customerMessage: String
    ) {
        self.merchantRequestID = merchantRequestID
        self.checkoutRequestID = checkoutRequestID
        self.responseCode = responseCode
        self.responseDescription = responseDescription
        self.customerMessage = customerMessage
    }

    enum CodingKeys: String, CodingKey {
        case merchantRequestID = "MerchantRequestID"
        case checkoutRequestID = "CheckoutRequestID"
        case responseCode = "ResponseCode"
        case responseDescription = "ResponseDescription"
        case customerMessage = "CustomerMessage"
    }
}
