/// The answer to C2B register URL and C2B simulate. Daraja spells the id key
/// `OriginatorCoversationID` (sic); decoding accepts either spelling, encoding writes Daraja's.
public struct C2BAcknowledgement: Codable, Sendable, Hashable {
    public var originatorConversationID: String
    public var responseCode: FlexibleString
    public var responseDescription: String

    public init(originatorConversationID: String, responseCode: FlexibleString, responseDescription: String) {
        self.originatorConversationID = originatorConversationID
        self.responseCode = responseCode
        self.responseDescription = responseDescription
    }

    enum CodingKeys: String, CodingKey {
        case originatorConversationIDMisspelled = "OriginatorCoversationID"
        case originatorConversationID = "OriginatorConversationID"
        case conversationID = "ConversationID"
        case responseCode = "ResponseCode"
        case responseDescription = "ResponseDescription"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        originatorConversationID =
            try container.decodeIfPresent(String.self, forKey: .originatorConversationIDMisspelled)
            ?? container.decodeIfPresent(String.self, forKey: .originatorConversationID)
            ?? container.decodeIfPresent(String.self, forKey: .conversationID) ?? ""
        responseCode = try container.decodeIfPresent(FlexibleString.self, forKey: .responseCode) ?? "0"
        responseDescription = try container.decode(String.self, forKey: .responseDescription)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(originatorConversationID, forKey: .originatorConversationIDMisspelled)
        try container.encode(responseCode, forKey: .responseCode)
        try container.encode(responseDescription, forKey: .responseDescription)
    }
}
