/// `POST /mpesa/c2b/v1/simulate` body, sandbox only (Daraja's Customer To Business (C2B)
/// API documentation).
public struct C2BSimulateRequest: Codable, Sendable, Hashable {
    public var shortCode: FlexibleString
    /// `CustomerPayBillOnline` or `CustomerBuyGoodsOnline`.
    public var commandID: String
    public var amount: FlexibleString
    public var msisdn: FlexibleString
    public var billRefNumber: String?

    public init(
        shortCode: FlexibleString, commandID: String, amount: FlexibleString, msisdn: FlexibleString,
        billRefNumber: String?
    ) {
        self.shortCode = shortCode
        self.commandID = commandID
        self.amount = amount
        self.msisdn = msisdn
        self.billRefNumber = billRefNumber
    }

    enum CodingKeys: String, CodingKey {
        case shortCode = "ShortCode"
        case commandID = "CommandID"
        case amount = "Amount"
        case msisdn = "Msisdn"
        case billRefNumber = "BillRefNumber"
    }
}
