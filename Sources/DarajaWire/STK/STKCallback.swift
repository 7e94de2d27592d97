/// The STK result Daraja posts to `CallBackURL`: `{ "Body": { "stkCallback": { ... } } }`
/// (Daraja's M-Pesa Express (STK Push) API documentation).
public struct STKCallbackEnvelope: Codable, Sendable, Hashable {
    public var body: Body

    public init(callback: STKCallback) {
        self.body = Body(stkCallback: callback)
    }

    public var callback: STKCallback { body.stkCallback }

    public struct Body: Codable, Sendable, Hashable {
        public var stkCallback: STKCallback
    }

    enum CodingKeys: String, CodingKey {
        case body = "Body"
    }
}

/// The `stkCallback` object. `ResultCode` is a number, or a string for codes like `SFC_IC0003`.
/// Failures carry no `CallbackMetadata`.
public struct STKCallback: Codable, Sendable, Hashable {
    public var merchantRequestID: String
    public var checkoutRequestID: String
    public var resultCode: FlexibleString
    public var resultDesc: String
    public var callbackMetadata: Metadata?

    public init(
        merchantRequestID: String, checkoutRequestID: String, resultCode: FlexibleString, resultDesc: String,
        callbackMetadata: Metadata?
    ) {
        self.merchantRequestID = merchantRequestID
        self.checkoutRequestID = checkoutRequestID
        self.resultCode = resultCode
        self.resultDesc = resultDesc
        self.callbackMetadata = callbackMetadata
    }

    /// `CallbackMetadata`: an `Item` list looked up by `Name`, never by index.
    public struct Metadata: Codable, Sendable, Hashable {
        public var items: [Item]

        public init(items: [Item]) { self.items = items }

        public func value(named name: String) -> ParameterValue? { items.first { $0.name == name }?.value }

        enum CodingKeys: String, CodingKey { case items = "Item" }
    }

    /// One `{ "Name", "Value" }` item; `Balance` often comes without a `Value`.
    public struct Item: Codable, Sendable, Hashable {
        public var name: String
        public var value: ParameterValue?

        public init(name: String, value: ParameterValue?) {
            self.name = name
            self.value = value
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case value = "Value"
        }
    }

    /// `MpesaReceiptNumber`, when the payment succeeded.
    public var receiptNumber: String? { callbackMetadata?.value(named: "MpesaReceiptNumber")?.text }
    /// `Amount` in whole shillings, when present.
    public var amount: Int64? { callbackMetadata?.value(named: "Amount")?.wholeUnits }
    /// `PhoneNumber` as text, when present.
    public var phoneNumber: String? { callbackMetadata?.value(named: "PhoneNumber")?.text }
    /// `TransactionDate` (`YYYYMMDDHHmmss`, Kenyan time) as text, when present.
    public var transactionDate: String? { callbackMetadata?.value(named: "TransactionDate")?.text }

    enum CodingKeys: String, CodingKey {
        case merchantRequestID = "MerchantRequestID"
        case checkoutRequestID = "CheckoutRequestID"
        case resultCode = "ResultCode"
        case resultDesc = "ResultDesc"
        case callbackMetadata = "CallbackMetadata"
    }
}
