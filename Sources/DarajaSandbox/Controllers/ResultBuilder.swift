import DarajaWire
import Foundation
import Hummingbird

/// Builds `Result` envelopes shaped like the fixtures.
enum ResultBuilder {
    static let internalSandbox = "https://internalsandbox.safaricom.co.ke/mpesa/"

    static func queueTimeoutItem(_ path: String) -> OneOrMany<KeyedParameter> {
        OneOrMany(single: KeyedParameter(.queueTimeoutURL, .string(internalSandbox + path)))
    }

    static func envelope(
        code: String, originatorConversationID: String, conversationID: String, transactionID: String,
        parameters: [KeyedParameter]?, reference: OneOrMany<KeyedParameter>?
    ) -> ResultEnvelope {
        ResultEnvelope(
            result: InitiatorResult(
                resultType: 0, resultCode: FlexibleString(numberIfPossible: code),
                resultDesc: ResultCodeTable.initiator[code] ?? "The service request failed.",
                originatorConversationID: originatorConversationID, conversationID: conversationID,
                transactionID: transactionID, resultParameters: parameters.map { OneOrMany($0) },
                referenceData: reference
            )
        )
    }

    static func acknowledgement(originatorConversationID: String, conversationID: String) -> Response {
        JSONResponse.make(
            InitiatorAcknowledgement(
                originatorConversationID: originatorConversationID, conversationID: conversationID,
                responseCode: "0", responseDescription: "Accept the service request successfully."
            )
        )
    }

    static func number(_ value: Int64) -> ParameterValue { .integer(value) }
    static func cents(_ cents: Int64) -> ParameterValue { .number(Decimal(cents) / 100) }
}
