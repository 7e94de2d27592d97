/// `POST /mpesa/accountbalance/v1/query` body (Daraja's Account Balance API documentation).
public struct AccountBalanceRequest: Codable, Sendable, Hashable {
    public var initiator: String
    public var securityCredential: String
    /// `AccountBalance`.
    public var commandID: String
    public var partyA: FlexibleString
    /// `4` for a shortcode.
    public var identifierType: FlexibleString
    public var remarks: String
    public var queueTimeOutURL: String
    public var resultURL: String

    public init(
        initiator: String, securityCredential: String, commandID: String = "AccountBalance", partyA: FlexibleString,
        identifierType: FlexibleString, remarks: String, queueTimeOutURL: String, resultURL: String
    ) {
        self.initiator = initiator
        self.securityCredential = securityCredential
        self.commandID = commandID
        self.partyA = partyA
        self.identifierType = identifierType
        self.remarks = remarks
        self.queueTimeOutURL = queueTimeOutURL
        self.resultURL = resultURL
    }

    enum CodingKeys: String, CodingKey {
        case initiator = "Initiator"
        case securityCredential = "SecurityCredential"
        case commandID = "CommandID"
        case partyA = "PartyA"
        case identifierType = "IdentifierType"
        case remarks = "Remarks"
        case queueTimeOutURL = "QueueTimeOutURL"
        case resultURL = "ResultURL"
    }
}
