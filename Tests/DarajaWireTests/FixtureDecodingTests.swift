import DarajaWire
import Foundation
import PesaTesting
import Testing

/// Every fixture in fixtures/daraja decodes into its DarajaWire type.
@Suite struct FixtureDecodingTests {
    static func type(forFixture name: String) -> (any Decodable.Type)? {
        let prefixes: [(String, any Decodable.Type)] = [
            ("oauth_token_response", AccessTokenResponse.self),
            ("oauth_error", ErrorEnvelope.self),
            ("error_", ErrorEnvelope.self),
            ("stk_push_request", STKPushRequest.self),
            ("stk_push_response", STKPushResponse.self),
            ("stk_callback", STKCallbackEnvelope.self),
            ("stk_query_request", STKQueryRequest.self),
            ("stk_query_response", STKQueryResponse.self),
            ("stk_query_error", ErrorEnvelope.self),
            ("c2b_register_url_request", C2BRegisterURLRequest.self),
            ("c2b_register_url_response", C2BAcknowledgement.self),
            ("c2b_simulate_request", C2BSimulateRequest.self),
            ("c2b_simulate_response", C2BAcknowledgement.self),
            ("c2b_validation_request", C2BTransaction.self),
            ("c2b_confirmation_ack", CallbackAcknowledgement.self),
            ("c2b_confirmation", C2BTransaction.self),
            ("c2b_validation_response", CallbackAcknowledgement.self),
            ("callback_ack", CallbackAcknowledgement.self),
            ("b2c_request", B2CPaymentRequest.self),
            ("b2c_response", InitiatorAcknowledgement.self),
            ("b2c_result", ResultEnvelope.self),
            ("b2c_queue_timeout", ResultEnvelope.self),
            ("b2b_paybill_request", B2BPaymentRequest.self),
            ("b2b_response", InitiatorAcknowledgement.self),
            ("b2b_result", ResultEnvelope.self),
            ("account_balance_request", AccountBalanceRequest.self),
            ("account_balance_response", InitiatorAcknowledgement.self),
            ("account_balance_result", ResultEnvelope.self),
            ("transaction_status_request", TransactionStatusRequest.self),
            ("transaction_status_response", InitiatorAcknowledgement.self),
            ("transaction_status_result", ResultEnvelope.self),
            ("reversal_request", ReversalRequest.self),
            ("reversal_response", InitiatorAcknowledgement.self),
            ("reversal_result", ResultEnvelope.self),
        ]
        return prefixes.first { name.hasPrefix($0.0) }?.1
    }

    @Test func everyFixtureHasAType() throws {
        let names = try Fixtures.darajaJSONNames()
        #expect(names.count >= 70)
        for name in names {
            #expect(Self.type(forFixture: name) != nil, "no type for \(name)")
        }
    }

    @Test(arguments: try Fixtures.darajaJSONNames())
    func fixtureDecodes(name: String) throws {
        let type = try #require(Self.type(forFixture: name))
        let data = try Fixtures.daraja(name)
        _ = try JSONDecoder().decode(type, from: data)
    }

    @Test(arguments: try Fixtures.darajaJSONNames())
    func fixtureRoundTripsToTheSameJSON(name: String) throws {
        let type = try #require(Self.type(forFixture: name))
        let data = try Fixtures.daraja(name)
        let value = try JSONDecoder().decode(type, from: data)
        guard let encodable = value as? any Encodable else { return }
        let reencoded = try JSONEncoder().encode(encodable)
        let original = try JSONDecoder().decode(JSONValue.self, from: data)
        let again = try JSONDecoder().decode(JSONValue.self, from: reencoded)
        #expect(Self.normalized(original) == Self.normalized(again), "\(name) changed on re-encoding")
    }

    /// Numbers compared by value (150.00 == 150).
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .decimal(let decimal):
            if let integer = Int64(decimal.description) { return .integer(integer) }
            return value
        case .array(let array): return .array(array.map(normalized))
        case .object(let object): return .object(object.mapValues(normalized))
        default: return value
        }
    }
}
