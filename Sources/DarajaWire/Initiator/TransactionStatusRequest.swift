/// `POST /mpesa/transactionstatus/v1/query` body (Daraja's Transaction Status API documentation).
/// `TransactionID` (receipt) and/or `OriginalConversationID` name the transaction.
public struct TransactionStatusRequest: Codable, Sendable, Hashable {
    public var initiator: String
    public var securityCredential: String
    /// `TransactionStatusQuery`.
    public var commandID: String
    public var transactionID: String?
    public var originalConversationID: String?
    public var partyA: FlexibleString
    /// `1` MSISDN, `2` till, `4` shortcode.
    public var identifierType: FlexibleString
    public var resultURL: String
    public var queueTimeOutURL: String
    public var remarks: String
    public var occasion: String?
    public var occasionSpelling: OccasionSpelling

    public init(
        initiator: String, securityCredential: String, commandID: String = "TransactionStatusQuery",
        transactionID: String?, originalConversationID: String?, partyA: FlexibleString,
        identifierType: FlexibleString, resultURL: String, queueTimeOutURL: String, remarks: String,
        occasion: String?, occasionSpelling: OccasionSpelling = .occasion
    ) {
        self.initiator = initiator
        self.securityCredential = securityCredential
        self.commandID = commandID
        self.transactionID = transactionID
        self.originalConversationID = originalConversationID
        self.partyA = partyA
        self.identifierType = identifierType
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
        transactionID = try c.flexible("TransactionID")?.text
        originalConversationID = try c.flexible("OriginalConversationID")?.text
        partyA = try c.required("PartyA")
        identifierType = try c.required("IdentifierType")
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
        try c.putIfPresent(transactionID, "TransactionID")
        try c.putIfPresent(originalConversationID, "OriginalConversationID")
        try c.put(partyA, "PartyA")
        try c.put(identifierType, "IdentifierType")
        try c.put(resultURL, "ResultURL")
        try c.put(queueTimeOutURL, "QueueTimeOutURL")
        try c.put(remarks, "Remarks")
        try c.putIfPresent(occasion, occasionSpelling.rawValue)
    }
}
