import DarajaWire
import Foundation
import PesaTesting
import Testing

/// Requests we build encode to Daraja's exact key names, misspellings included.
@Suite struct EncodingKeyNameTests {
    func keys(of value: some Encodable) throws -> Set<String> {
        let data = try JSONEncoder().encode(value)
        guard case .object(let object) = try JSONDecoder().decode(JSONValue.self, from: data) else { return [] }
        return Set(object.keys)
    }

    @Test func stkPushKeys() throws {
        let request = STKPushRequest(
            businessShortCode: 174379, password: "p", timestamp: "20250314101523",
            transactionType: STKTransactionType.payBill, amount: 1, partyA: 254_708_374_149, partyB: 174379,
            phoneNumber: 254_708_374_149, callBackURL: "https://example.com/cb", accountReference: "INV1",
            transactionDesc: "Order"
        )
        #expect(
            try keys(of: request) == [
                "BusinessShortCode", "Password", "Timestamp", "TransactionType", "Amount", "PartyA", "PartyB",
                "PhoneNumber", "CallBackURL", "AccountReference", "TransactionDesc",
            ]
        )
        let json = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        #expect(json.contains("\"PhoneNumber\":254708374149"))
        #expect(json.contains("\"Amount\":1"))
    }

    @Test func b2cV3SpellsOccassionAndV1SpellsOccasion() throws {
        var request = B2CPaymentRequest(
            originatorConversationID: "id-1", initiatorName: "testapi", securityCredential: "c",
            commandID: "BusinessPayment", amount: 10, partyA: 600997, partyB: 254_708_374_149, remarks: "ok",
            queueTimeOutURL: "https://e.com/t", resultURL: "https://e.com/r", occasion: "x"
        )
        #expect(try keys(of: request).contains("Occassion"))
        #expect(try keys(of: request).contains("OriginatorConversationID"))
        request.originatorConversationID = nil
        request.occasionSpelling = .occasion
        #expect(try keys(of: request).contains("Occasion"))
        #expect(!(try keys(of: request).contains("OriginatorConversationID")))
    }

    @Test func b2bAndReversalSpellReciever() throws {
        let b2b = B2BPaymentRequest(
            initiator: "testapi", securityCredential: "c", commandID: "BusinessPayBill", senderIdentifierType: "4",
            receiverIdentifierType: "4", amount: 10, partyA: 600999, partyB: 600000, accountReference: "A",
            requester: nil, remarks: "r", queueTimeOutURL: "https://e.com/t", resultURL: "https://e.com/r",
            occasion: nil
        )
        #expect(try keys(of: b2b).contains("RecieverIdentifierType"))
        let reversal = ReversalRequest(
            initiator: "testapi", securityCredential: "c", transactionID: "TCE1", amount: 1, receiverParty: 600984,
            resultURL: "https://e.com/r", queueTimeOutURL: "https://e.com/t", remarks: "rr", occasion: nil
        )
        #expect(try keys(of: reversal).contains("RecieverIdentifierType"))
        #expect(!(try keys(of: reversal).contains("ReceiverIdentifierType")))
    }

    @Test func c2bAcknowledgementWritesDarajasTypoAndReadsBoth() throws {
        let ack = C2BAcknowledgement(originatorConversationID: "x", responseCode: "0", responseDescription: "Success")
        #expect(try keys(of: ack) == ["OriginatorCoversationID", "ResponseCode", "ResponseDescription"])
        let correct = #"{"OriginatorConversationID":"y","ResponseCode":"0","ResponseDescription":"S"}"#
        let decoded = try JSONDecoder().decode(C2BAcknowledgement.self, from: Data(correct.utf8))
        #expect(decoded.originatorConversationID == "y")
    }

    @Test func misspelledKeysDecodeEitherWay() throws {
        let body = #"""
            {"Initiator":"testapi","SecurityCredential":"c","CommandID":"BusinessPayBill","SenderIdentifierType":4,
             "ReceiverIdentifierType":4,"Amount":"10","PartyA":600999,"PartyB":"600000","Remarks":"r",
             "QueueTimeOutURL":"https://e.com/t","ResultURL":"https://e.com/r","Occasion":"o","Extra":null}
            """#
        let request = try JSONDecoder().decode(B2BPaymentRequest.self, from: Data(body.utf8))
        #expect(request.receiverIdentifierType.text == "4")
        #expect(request.occasion == "o")
        #expect(request.occasionSpelling == .occasion)
    }

    @Test func resultCodeAsStringOrNumber() throws {
        let number = try JSONDecoder().decode(FlexibleString.self, from: Data("1032".utf8))
        let string = try JSONDecoder().decode(FlexibleString.self, from: Data("\"1032\"".utf8))
        #expect(number.text == string.text)
        #expect(String(decoding: try JSONEncoder().encode(number), as: UTF8.self) == "1032")
        #expect(String(decoding: try JSONEncoder().encode(string), as: UTF8.self) == "\"1032\"")
    }
}

/// The hand-written writer gives the same JSON values as JSONEncoder.
@Suite struct JSONWriterTests {
    func value(_ bytes: [UInt8]) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) }
    func value(_ encodable: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(encodable))
    }

    @Test(arguments: [
        "stk_callback_success", "stk_callback_cancelled_1032", "stk_callback_operator_not_exist_SFC_IC0003",
    ])
    func callbackMatchesJSONEncoder(name: String) throws {
        let envelope = try JSONDecoder().decode(STKCallbackEnvelope.self, from: Fixtures.daraja(name))
        #expect(try value(envelope.jsonBytes()) == value(envelope))
    }

    @Test func acknowledgementMatchesJSONEncoder() throws {
        var ack = try JSONDecoder().decode(STKPushResponse.self, from: Fixtures.daraja("stk_push_response"))
        #expect(try value(ack.jsonBytes()) == value(ack))
        ack.customerMessage = "quote \" backslash \\ newline \n tab \t bell \u{07} unicode é"
        #expect(try value(ack.jsonBytes()) == value(ack))
    }
}
