public import DarajaWire
public import Foundation

/// What an STK push needs; the client derives the password and timestamp from one clock read.
public struct STKPushInput: Sendable {
    /// PayBill number, or the HO/store number for a till.
    public var businessShortCode: String
    public var passkey: DarajaSecret
    /// `CustomerPayBillOnline` or `CustomerBuyGoodsOnline`.
    public var transactionType: String
    /// Whole shillings.
    public var amount: Int64
    /// 12-digit MSISDN, `2547XXXXXXXX` or `2541XXXXXXXX`.
    public var phoneNumber: String
    /// The receiving shortcode: same as `businessShortCode` for PayBill, the till number for Buy Goods.
    public var partyB: String
    public var callbackURL: String
    /// At most 12 characters.
    public var accountReference: String
    /// At most 13 characters.
    public var transactionDescription: String

    public init(
        businessShortCode: String, passkey: DarajaSecret, transactionType: String = STKTransactionType.payBill,
        amount: Int64, phoneNumber: String, partyB: String? = nil, callbackURL: String, accountReference: String,
        transactionDescription: String
    ) {
        self.businessShortCode = businessShortCode
        self.passkey = passkey
        self.transactionType = transactionType
        self.amount = amount
        self.phoneNumber = phoneNumber
        self.partyB = partyB ?? businessShortCode
        self.callbackURL = callbackURL
        self.accountReference = accountReference
        self.transactionDescription = transactionDescription
    }

    /// The wire request at `date`: numeric fields go out as JSON numbers.
    public func request(at date: Date) -> STKPushRequest {
        let (password, timestamp) = STKPassword.make(shortCode: businessShortCode, passkey: passkey.value, at: date)
        return STKPushRequest(
            businessShortCode: FlexibleString(numberIfPossible: businessShortCode), password: password,
            timestamp: timestamp, transactionType: transactionType, amount: FlexibleString(amount),
            partyA: FlexibleString(numberIfPossible: phoneNumber), partyB: FlexibleString(numberIfPossible: partyB),
            phoneNumber: FlexibleString(numberIfPossible: phoneNumber), callBackURL: callbackURL,
            accountReference: accountReference, transactionDesc: transactionDescription
        )
    }
}
