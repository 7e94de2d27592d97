import Foundation
import Testing

@testable import PesaAPI

/// What a request body may not carry, whatever the decoder would let through: a key twice, a control
/// character in a string, a number with an exponent, a fraction where whole shillings are taken.
@Suite struct StrictJSONTests {
    struct Push: Decodable {
        let phone: String
        let amount: Int64
        let description: String?
    }

    struct Batch: Decodable {
        struct Item: Decodable { let amount: Int64 }
        let items: [Item]
    }

    func refusal<T: Decodable>(_ json: String, as type: T.Type = Push.self) -> APIError? {
        do {
            _ = try JSONBody.decode(T.self, from: Data(json.utf8))
            return nil
        } catch let error as APIError {
            return error
        } catch {
            Issue.record("not an APIError: \(error)")
            return nil
        }
    }

    @Test func aKeyTwiceInOneObjectIs400() {
        let error = refusal(#"{"phone":"0708374149","amount":10,"amount":1000}"#)
        #expect(error?.code == .malformedJSON)
        #expect(error?.message.contains("amount") == true)
        // The same key in two different objects is fine.
        #expect(refusal(#"{"items":[{"amount":1},{"amount":2}]}"#, as: Batch.self) == nil)
    }

    @Test(arguments: [#"\u0000"#, #"\u0001"#, #"\u001f"#, #"\r"#, #"\b"#])
    func aControlCharacterInAStringIs422NamingTheField(escape: String) {
        let error = refusal(#"{"phone":"0708374149","amount":10,"description":"a\#(escape)b"}"#)
        #expect(error?.code == .invalidField)
        #expect(error?.param == "description")
    }

    @Test func tabAndNewlineAreAllowedInFreeText() {
        #expect(refusal(#"{"phone":"0708374149","amount":10,"description":"line one\nline\ttwo"}"#) == nil)
    }

    @Test(arguments: ["10.5", "10.0", "1e3", "1E3", "-2.5e1"])
    func aFractionOrAnExponentIs422NamingTheAmount(amount: String) {
        let error = refusal(#"{"phone":"0708374149","amount":\#(amount)}"#)
        #expect(error?.code == .invalidField, "\(amount)")
        #expect(error?.param == "amount", "\(amount)")
    }

    @Test func aNestedFieldIsNamedByItsPath() {
        let error = refusal(#"{"items":[{"amount":1},{"amount":2.5}]}"#, as: Batch.self)
        #expect(error?.param == "items[1].amount")
    }

    @Test func malformedJSONIsStillTheDecodersAnswer() {
        for text in [#"{"phone":"0708374149","amount":10"#, "[}", "{", #"{"a" 1}"#, "nul"] {
            #expect(refusal(text)?.code == .malformedJSON, "\(text)")
        }
    }
}
