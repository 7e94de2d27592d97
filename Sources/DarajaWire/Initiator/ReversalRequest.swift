/// `POST /mpesa/reversal/v1/request` body (Daraja's Reversal API documentation).
/// Daraja spells `RecieverIdentifierType` (sic).
public struct ReversalRequest: Codable, Sendable, Hashable {
    public var initiator: String
    public var securityCredential: String
    /// `TransactionReversal`.
    public var commandID: String
    /// The receipt to reverse.
    public var transactionID: String
    public var amount: FlexibleString
    /// Your shortcode.
    public var receiverParty: FlexibleString
    /// `11` for this API.
    public var receiverIdentifierType: FlexibleString
    public var resultURL: String
    public var queueTimeOutURL: String
    public var remarks: String
    public var occasion: String?
    public var occasionSpelling: OccasionSpelling

    public init(
        initiator: String, securityCredential: String, commandID: String = "TransactionReversal",
        transactionID: String, amount: FlexibleString, receiverParty: FlexibleString,
        receiverIdentifierType: FlexibleString = "11", resultURL: String, queueTimeOutURL: String, remarks: String,
        occasion: String?, occasionSpelling: OccasionSpelling = .occasion
    ) {
        self.initiator = initiator
        self.securityCredential = securityCredential
        self.commandID = commandID
        self.transactionID = transactionID
        self.amount = amount
        self.receiverParty = receiverParty
        self.receiverIdentifierType = receiverIdentifierType
        self.resultURL = resultURL
        self.queueTimeOutURL = queueTimeOutURL
        self.remarks = remarks
        self.occasion = occasion
        self.occasionSpelling = occasionSpelling
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        initiator = try c.required("Initiator").text
        securityCredential = try c.required("SecurityCredential").text
        commandID = try c.required("CommandID").text
        transactionID = try c.required("TransactionID").text
        amount = try c.required("Amount")
        receiverParty = try c.required("ReceiverParty")
        receiverIdentifierType = try c.required("RecieverIdentifierType", "ReceiverIdentifierType")
        resultURL = try c.required("ResultURL").text
        queueTimeOutURL = try c.required("QueueTimeOutURL").text
        remarks = try c.flexible("Remarks")?.text ?? ""
        (occasion, occasionSpelling) = try c.occasion(default: .occasion)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.put(initiator, "Initiator")
        try c.put(securityCredential, "SecurityCredential")
        try c.put(commandID, "CommandID")
        try c.put(transactionID, "TransactionID")
        try c.put(amount, "Amount")
        try c.put(receiverParty, "ReceiverParty")
        try c.put(receiverIdentifierType, "RecieverIdentifierType")
        try c.put(resultURL, "ResultURL")
        try c.put(queueTimeOutURL, "QueueTimeOutURL")
        try c.put(remarks, "Remarks")
        try c.putIfPresent(occasion, occasionSpelling.rawValue)
    }
}
