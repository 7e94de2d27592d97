/// The asynchronous `{ "Result": { ... } }` posted to `ResultURL` (and, presumably, `QueueTimeOutURL`)
/// by B2C, B2B, account balance, transaction status and reversal (Daraja's API documentation of
/// those operations).
public struct ResultEnvelope: Codable, Sendable, Hashable {
    public var result: InitiatorResult

    public init(result: InitiatorResult) { self.result = result }

    enum CodingKeys: String, CodingKey { case result = "Result" }
}

/// The `Result` object. `ResultType`/`ResultCode` are numbers or strings; `ResultParameter` and
/// `ReferenceItem` are an array or a single object; parameters may lack a `Value`.
public struct InitiatorResult: Codable, Sendable, Hashable {
    public var resultType: FlexibleString
    public var resultCode: FlexibleString
    public var resultDesc: String
    public var originatorConversationID: String
    public var conversationID: String
    public var transactionID: String
    public var resultParameters: OneOrMany<KeyedParameter>?
    public var referenceData: OneOrMany<KeyedParameter>?

    public init(
        resultType: FlexibleString, resultCode: FlexibleString, resultDesc: String, originatorConversationID: String,
        conversationID: String, transactionID: String, resultParameters: OneOrMany<KeyedParameter>?,
        referenceData: OneOrMany<KeyedParameter>?
    ) {
        self.resultType = resultType
        self.resultCode = resultCode
        self.resultDesc = resultDesc
        self.originatorConversationID = originatorConversationID
        self.conversationID = conversationID
        self.transactionID = transactionID
        self.resultParameters = resultParameters
        self.referenceData = referenceData
    }

    /// The result parameters, looked up by key.
    public var parameters: [KeyedParameter] { resultParameters?.elements ?? [] }
    /// The reference items, looked up by key.
    public var referenceItems: [KeyedParameter] { referenceData?.elements ?? [] }

    enum CodingKeys: String, CodingKey {
        case resultType = "ResultType"
        case resultCode = "ResultCode"
        case resultDesc = "ResultDesc"
        case originatorConversationID = "OriginatorConversationID"
        case originatorConversationIDMisspelled = "OriginatorCoversationID"
        case conversationID = "ConversationID"
        case transactionID = "TransactionID"
        case resultParameters = "ResultParameters"
        case referenceData = "ReferenceData"
    }

    struct ParametersBox: Codable { var ResultParameter: OneOrMany<KeyedParameter>? }
    struct ReferenceBox: Codable { var ReferenceItem: OneOrMany<KeyedParameter>? }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        resultType = try c.decodeIfPresent(FlexibleString.self, forKey: .resultType) ?? 0
        resultCode = try c.decode(FlexibleString.self, forKey: .resultCode)
        resultDesc = try c.decodeIfPresent(String.self, forKey: .resultDesc) ?? ""
        originatorConversationID =
            try c.decodeIfPresent(String.self, forKey: .originatorConversationID)
            ?? c.decodeIfPresent(String.self, forKey: .originatorConversationIDMisspelled) ?? ""
        conversationID = try c.decodeIfPresent(String.self, forKey: .conversationID) ?? ""
        transactionID = try c.decodeIfPresent(FlexibleString.self, forKey: .transactionID)?.text ?? ""
        resultParameters = try c.decodeIfPresent(ParametersBox.self, forKey: .resultParameters)?.ResultParameter
        referenceData = try c.decodeIfPresent(ReferenceBox.self, forKey: .referenceData)?.ReferenceItem
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(resultType, forKey: .resultType)
        try c.encode(resultCode, forKey: .resultCode)
        try c.encode(resultDesc, forKey: .resultDesc)
        try c.encode(originatorConversationID, forKey: .originatorConversationID)
        try c.encode(conversationID, forKey: .conversationID)
        try c.encode(transactionID, forKey: .transactionID)
        if let resultParameters {
            try c.encode(ParametersBox(ResultParameter: resultParameters), forKey: .resultParameters)
        }
        if let referenceData {
            try c.encode(ReferenceBox(ReferenceItem: referenceData), forKey: .referenceData)
        }
    }
}
