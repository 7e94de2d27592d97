/// The STK query answer once the payment is final. `ResultCode` is a string here.
/// While pending, Daraja answers HTTP 500 with `500.001.1001` "The transaction is being processed" instead.
public struct STKQueryResponse: Codable, Sendable, Hashable {
    public var responseCode: FlexibleString
    public var responseDescription: String
    public var merchantRequestID: String
    public var checkoutRequestID: String
    public var resultCode: FlexibleString
    public var resultDesc: String

    public init(
        responseCode: FlexibleString, responseDescription: String, merchantRequestID: String,
        checkoutRequestID: String, resultCode: FlexibleString, resultDesc: String
    ) {
        self.responseCode = responseCode
        self.responseDescription = responseDescription
        self.merchantRequestID = merchantRequestID
        self.checkoutRequestID = checkoutRequestID
        self.resultCode = resultCode
        self.resultDesc = resultDesc
    }

    enum CodingKeys: String, CodingKey {
        case responseCode = "ResponseCode"
        case responseDescription = "ResponseDescription"
        case merchantRequestID = "MerchantRequestID"
        case checkoutRequestID = "CheckoutRequestID"
        case resultCode = "ResultCode"
        case resultDesc = "ResultDesc"
    }
}
