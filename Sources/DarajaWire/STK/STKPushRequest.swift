/// `POST /mpesa/stkpush/v1/processrequest` body (Daraja's M-Pesa Express (STK Push) API
/// documentation).
public struct STKPushRequest: Codable, Sendable, Hashable {
    public var businessShortCode: FlexibleString
    public var password: String
    public var timestamp: String
    public var transactionType: String
    public var amount: FlexibleString
    public var partyA: FlexibleString
    public var partyB: FlexibleString
    public var phoneNumber: FlexibleString
    public var callBackURL: String
    public var accountReference: String
    public var transactionDesc: String?

    public init(
        businessShortCode: FlexibleString, password: String, timestamp: String, transactionType: String,
        amount: FlexibleString, partyA: FlexibleString, partyB: FlexibleString, phoneNumber: FlexibleString,
        callBackURL: String, accountReference: String, transactionDesc: String?
    ) {
        self.businessShortCode = businessShortCode
        self.password = password
        self.timestamp = timestamp
        self.transactionType = transactionType
        self.amount = amount
        self.partyA = partyA
        self.partyB = partyB
        self.phoneNumber = phoneNumber
        self.callBackURL = callBackURL
        self.accountReference = accountReference
        self.transactionDesc = transactionDesc
    }

    enum CodingKeys: String, CodingKey {
        case businessShortCode = "BusinessShortCode"
        case password = "Password"
        case timestamp = "Timestamp"
        case transactionType = "TransactionType"
        case amount = "Amount"
        case partyA = "PartyA"
        case partyB = "PartyB"
        case phoneNumber = "PhoneNumber"
        case callBackURL = "CallBackURL"
        case accountReference = "AccountReference"
        case transactionDesc = "TransactionDesc"
    }
}

/// The two STK transaction types.
public enum STKTransactionType {
    public static let payBill = "CustomerPayBillOnline"
    public static let buyGoods = "CustomerBuyGoodsOnline"
}
