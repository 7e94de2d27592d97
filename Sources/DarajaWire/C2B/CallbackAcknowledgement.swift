/// A merchant's reply to a Daraja callback: `{ "ResultCode": 0, "ResultDesc": "Accepted" }`.
/// For C2B validation, a non-zero code (`C2B00012` ...) rejects the payment, and an accepting reply
/// may carry `ThirdPartyTransID`, echoed in the confirmation.
public struct CallbackAcknowledgement: Codable, Sendable, Hashable {
    public var resultCode: FlexibleString
    public var resultDesc: String
    public var thirdPartyTransID: String?

    public init(resultCode: FlexibleString, resultDesc: String, thirdPartyTransID: String? = nil) {
        self.resultCode = resultCode
        self.resultDesc = resultDesc
        self.thirdPartyTransID = thirdPartyTransID
    }

    /// `{"ResultCode":0,"ResultDesc":"Accepted"}`.
    public static let accepted = CallbackAcknowledgement(resultCode: 0, resultDesc: "Accepted")

    /// Whether the reply accepts (`0` or `"0"`).
    public var isAccepted: Bool { resultCode.text == "0" }

    enum CodingKeys: String, CodingKey {
        case resultCode = "ResultCode"
        case resultDesc = "ResultDesc"
        case thirdPartyTransID = "ThirdPartyTransID"
    }
}
