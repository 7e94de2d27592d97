/// `POST /mpesa/b2b/v1/paymentrequest` body (Daraja's Business Pay Bill API documentation). Daraja spells
/// `RecieverIdentifierType` (sic); decoding also accepts `ReceiverIdentifierType`, encoding writes Daraja's spelling.
public struct B2BPaymentRequest: Codable, Sendable, Hashable {
    public var initiator: String
    public var securityCredential: String
    /// `BusinessPayBill`, `BusinessBuyGoods`, float moves...
    public var commandID: String
    public var senderIdentifierType: FlexibleString
    public var receiverIdentifierType: FlexibleString
    public var amount: FlexibleString
    public var partyA: FlexibleString
    public var partyB: FlexibleString
    public var accountReference: String?
    public var requester: FlexibleString?
    public var remarks: String
    public var queueTimeOutURL: String
    public var resultURL: String
    public var occasion: String?
    public var occasionSpelling: OccasionSpelling

    public init(
        initiator: String, securityCredential: String, commandID: String, senderIdentifierType: FlexibleString,
        receiverIdentifierType: FlexibleString, amount: FlexibleString, partyA: FlexibleString,
        partyB: FlexibleString, accountReference: String?, requester: FlexibleString?, remarks: String,
        queueTimeOutURL: String, resultURL: String, occasion: String?, occasionSpelling: OccasionSpelling = .occassion
    ) {
        self.initiator = initiator
        self.securityCredential = securityCredential
        self.commandID = commandID
        self.senderIdentifierType = senderIdentifierType
        self.receiverIdentifierType = receiverIdentifierType
        self.amount = amount
        self.partyA = partyA
        self.partyB = partyB
        self.accountReference = accountReference
        self.requester = requester
        self.remarks = remarks
        self.queueTimeOutURL = queueTimeOutURL
        self.resultURL = resultURL
        self.occasion = occasion
        self.occasionSpelling = occasionSpelling
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        initiator = try c.required("Initiator").text
        securityCredential = try c.required("SecurityCredential").text
        commandID = try c.required("CommandID").text
        senderIdentifierType = try c.required("SenderIdentifierType")
        receiverIdentifierType = try c.required("RecieverIdentifierType", "ReceiverIdentifierType")
        amount = try c.required("Amount")
        partyA = try c.required("PartyA")
        partyB = try c.required("PartyB")
        accountReference = try c.flexible("AccountReference")?.text
        requester = try c.flexible("Requester")
        remarks = try c.flexible("Remarks")?.text ?? ""
        queueTimeOutURL = try c.required("QueueTimeOutURL").text
        resultURL = try c.required("ResultURL").text
        (occasion, occasionSpelling) = try c.occasion(default: .occassion)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.put(initiator, "Initiator")
        try c.put(securityCredential, "SecurityCredential")
        try c.put(commandID, "CommandID")
        try c.put(senderIdentifierType, "SenderIdentifierType")
        try c.put(receiverIdentifierType, "RecieverIdentifierType")
        try c.put(amount, "Amount")
        try c.put(partyA, "PartyA")
        try c.put(partyB, "PartyB")
        try c.putIfPresent(accountReference, "AccountReference")
        try c.putIfPresent(requester, "Requester")
        try c.put(remarks, "Remarks")
        try c.put(queueTimeOutURL, "QueueTimeOutURL")
        try c.put(resultURL, "ResultURL")
        try c.putIfPresent(occasion, occasionSpelling.rawValue)
    }
}
