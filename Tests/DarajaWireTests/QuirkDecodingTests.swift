import DarajaWire
import Foundation
import PesaTesting
import Testing

@Suite struct QuirkDecodingTests {
    @Test func stkCallbackBalanceWithoutValue() throws {
        let envelope = try JSONDecoder().decode(STKCallbackEnvelope.self, from: Fixtures.daraja("stk_callback_success"))
        let callback = envelope.callback
        #expect(callback.resultCode.text == "0")
        #expect(callback.receiptNumber == "TCE4XK9QZR")
        #expect(callback.amount == 150)
        #expect(callback.phoneNumber == "254712345678")
        #expect(callback.transactionDate == "20250314101542")
        #expect(callback.callbackMetadata?.items.contains { $0.name == "Balance" && $0.value == nil } == true)
    }

    @Test func alphanumericResultCode() throws {
        let data = try Fixtures.daraja("stk_callback_operator_not_exist_SFC_IC0003")
        let envelope = try JSONDecoder().decode(STKCallbackEnvelope.self, from: data)
        #expect(envelope.callback.resultCode.text == "SFC_IC0003")
        #expect(envelope.callback.callbackMetadata == nil)
    }

    @Test func resultParameterAsObjectOrArray() throws {
        let failure = try JSONDecoder().decode(ResultEnvelope.self, from: Fixtures.daraja("b2b_result_failure_2001"))
        #expect(failure.result.parameters.value(forKey: "BOCompletedTime")?.text == "20250314113044")
        let success = try JSONDecoder().decode(ResultEnvelope.self, from: Fixtures.daraja("b2b_result_success"))
        #expect(success.result.resultCode.text == "0")
        #expect(success.result.referenceItems.count == 3)
        #expect(success.result.referenceItems.contains { $0.key == "Occassion" && $0.value == nil })
        #expect(success.result.parameters.value(forKey: "Amount")?.wholeUnits == 2390)
    }

    @Test func expiresInStringOrNumber() throws {
        for name in ["oauth_token_response", "oauth_token_response_numeric_expiry"] {
            let token = try JSONDecoder().decode(AccessTokenResponse.self, from: Fixtures.daraja(name))
            #expect(token.expiresInSeconds == 3599)
        }
    }

    @Test func c2bMisspelledOriginatorCoversationID() throws {
        let ack = try JSONDecoder().decode(C2BAcknowledgement.self, from: Fixtures.daraja("c2b_register_url_response"))
        #expect(ack.originatorConversationID == "6e2f-4a7c-b9d0-1c5e8f3a7b2d4410221")
    }

    @Test func resultCodeTablesKnowTheScriptedCodes() {
        for code in ["0", "1", "1032", "1037", "1019", "2001"] {
            #expect(ResultCodeTable.stkMeaning(code) != nil)
        }
        #expect(ResultCodeTable.initiatorMeaning("2032") != nil)
        #expect(ResultCodeTable.c2bValidation["C2B00012"] == "Invalid Account Number")
    }
}
