/// The synchronous answer of B2C, B2B, account balance, transaction status and reversal
/// (Daraja's API documentation of those operations).
public struct InitiatorAcknowledgement: Codable, Sendable, Hashable {
    public var originatorConversationID: String
    public var conversationID: String
    public var responseCode: FlexibleString
    public var responseDescription: String

    public init(
        originatorConversationID: String, conversationID: String, responseCode: FlexibleString,
        responseDescription: String
    ) {
        self.originatorConversationID = originatorConversationID
        self.conversationID = conversationID
        self.responseCode = responseCode
        self.responseDescription = responseDescription
    }

    enum CodingKeys: String, CodingKey {
        case originatorConversationID = "OriginatorConversationID"
        case originatorConversationIDMisspelled = "OriginatorCoversationID"
        case conversationID = "ConversationID"
        case responseCode = "ResponseCode"
        case responseDescription = "ResponseDescription"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        originatorConversationID =
            try c.decodeIfPresent(String.self, forKey: .originatorConversationID)
            ?? c.decode(String.self, forKey: .originatorConversationIDMisspelled)
        conversationID = try c.decodeIfPresent(String.self, forKey: .conversationID) ?? ""
        responseCode = try c.decode(FlexibleString.self, forKey: .responseCode)
        responseDescription = try c.decode(String.self, forKey: .responseDescription)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(originatorConversationID, forKey: .originatorConversationID)
        try c.encode(conversationID, forKey: .conversationID)
        try c.encode(responseCode, forKey: .responseCode)
        try c.encode(responseDescription, forKey: .responseDescription)
    }
}
