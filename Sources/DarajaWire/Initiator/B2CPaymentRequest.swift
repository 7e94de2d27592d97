/// `POST /mpesa/b2c/v3/paymentrequest` (or legacy v1) body (Daraja's Business To Customer (B2C) API
/// documentation).
/// v3 carries `OriginatorConversationID` and spells `Occassion`; v1 has no id and spells `Occasion`.
public struct B2CPaymentRequest: Codable, Sendable, Hashable {
    public var originatorConversationID: String?
    public var initiatorName: String
    public var securityCredential: String
    /// `BusinessPayment`, `SalaryPayment` or `PromotionPayment`.
    public var commandID: String
    public var amount: FlexibleString
    public var partyA: FlexibleString
    public var partyB: FlexibleString
    public var remarks: String
    public var queueTimeOutURL: String
    public var resultURL: String
    public var occasion: String?
    public var occasionSpelling: OccasionSpelling

    public init(
        originatorConversationID: String?, initiatorName: String, securityCredential: String, commandID: String,
        amount: FlexibleString, partyA: FlexibleString, partyB: FlexibleString, remarks: String,
        queueTimeOutURL: String, resultURL: String, occasion: String?, occasionSpelling: OccasionSpelling = .occassion
    ) {
        self.originatorConversationID = originatorConversationID
        self.initiatorName = initiatorName
        self.securityCredential = securityCredential
        self.commandID = commandID
        self.amount = amount
        self.partyA = partyA
        self.partyB = partyB
        self.remarks = remarks
        self.queueTimeOutURL = queueTimeOutURL
        self.resultURL = resultURL
        self.occasion = occasion
        self.occasionSpelling = occasionSpelling
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        originatorConversationID = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("OriginatorConversationID"))
        initiatorName = try c.required("InitiatorName").text
        securityCredential = try c.required("SecurityCredential").text
        commandID = try c.required("CommandID").text
        amount = try c.required("Amount")
        partyA = try c.required("PartyA")
        partyB = try c.required("PartyB")
        remarks = try c.flexible("Remarks")?.text ?? ""
        queueTimeOutURL = try c.required("QueueTimeOutURL").text
        resultURL = try c.required("ResultURL").text
        (occasion, occasionSpelling) = try c.occasion(default: .occassion)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.putIfPresent(originatorConversationID, "OriginatorConversationID")
        try c.put(initiatorName, "InitiatorName")
        try c.put(securityCredential, "SecurityCredential")
        try c.put(commandID, "CommandID")
        try c.put(amount, "Amount")
        try c.put(partyA, "PartyA")
        try c.put(partyB, "PartyB")
        try c.put(remarks, "Remarks")
        try c.put(queueTimeOutURL, "QueueTimeOutURL")
        try c.put(resultURL, "ResultURL")
        try c.putIfPresent(occasion, occasionSpelling.rawValue)
    }
}
