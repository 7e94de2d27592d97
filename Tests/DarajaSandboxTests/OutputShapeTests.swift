import DarajaSandbox
import DarajaWire
import Foundation
import PesaTesting
import Testing

/// Exact on output: every answer and callback has the keys of the matching fixture.
@Suite struct OutputShapeTests {
    func fixture(_ name: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Fixtures.daraja(name))
    }

    /// A fixture request with its URLs pointed at the recorder (callbacks stay on loopback).
    func request(_ name: String, harness: RawHarness, path: String) throws -> String {
        let text = String(decoding: try Fixtures.daraja(name), as: UTF8.self)
        let pattern = try NSRegularExpression(pattern: "https://pay\\.example-shop\\.co\\.ke/hooks/[a-z/0-9]+")
        let range = NSRange(text.startIndex..., in: text)
        return pattern.stringByReplacingMatches(in: text, range: range, withTemplate: harness.callbackURL(path))
    }

    func credential(_ harness: RawHarness) throws -> String {
        try harness.sandbox.securityCredential(for: "Safaricom999!*!")
    }

    @Test func stkAnswersAndCallbacksMatchTheFixtures() async throws {
        try await RawHarness.run { harness in
            let token = try await harness.token()
            var body = try request("stk_push_request", harness: harness, path: "ok")
            body = body.replacingOccurrences(of: "254712345678", with: "254708374149")
            let ack = try await harness.post(DarajaEndpoint.stkPush.path, body, token: token)
            #expect(keyPaths(try #require(ack.json)) == keyPaths(try fixture("stk_push_response")))
            let callback = try #require(await harness.recorder.waitForDeliveries(to: "/ok", count: 1).first)
            let sent = try JSONDecoder().decode(JSONValue.self, from: callback.body)
            #expect(keyPaths(sent) == keyPaths(try fixture("stk_callback_success")))
            #expect(labels(sent) == labels(try fixture("stk_callback_success")))

            let cancelled = body.replacingOccurrences(of: "254708374149", with: "254700001032")
                .replacingOccurrences(of: harness.callbackURL("ok"), with: harness.callbackURL("cancelled"))
            _ = try await harness.post(DarajaEndpoint.stkPush.path, cancelled, token: token)
            let failure = try #require(await harness.recorder.waitForDeliveries(to: "/cancelled", count: 1).first)
            let failed = try JSONDecoder().decode(JSONValue.self, from: failure.body)
            #expect(keyPaths(failed) == keyPaths(try fixture("stk_callback_cancelled_1032")))

            let checkout = try ack.decode(STKPushResponse.self).checkoutRequestID
            let query = try request("stk_query_request", harness: harness, path: "q")
                .replacingOccurrences(of: "ws_CO_14032025101524187712345678", with: checkout)
            let answer = try await harness.post(DarajaEndpoint.stkQuery.path, query, token: token)
            #expect(keyPaths(try #require(answer.json)) == keyPaths(try fixture("stk_query_response_success")))
            #expect(try answer.decode(STKQueryResponse.self).resultCode == FlexibleString("0"))
        }
    }

    @Test func pendingQueryEchoesTheCheckoutRequestID() async throws {
        try await RawHarness.run(SandboxConfiguration(callbackDelayMs: 60_000)) { harness in
            let token = try await harness.token()
            let body = try request("stk_push_request", harness: harness, path: "late")
            let checkout = try await harness.post(DarajaEndpoint.stkPush.path, body, token: token)
                .decode(STKPushResponse.self).checkoutRequestID
            let query = try request("stk_query_request", harness: harness, path: "q")
                .replacingOccurrences(of: "ws_CO_14032025101524187712345678", with: checkout)
            let pending = try await harness.post(DarajaEndpoint.stkQuery.path, query, token: token)
            #expect(pending.status == 500)
            let expected = try JSONDecoder().decode(
                ErrorEnvelope.self, from: Fixtures.daraja("stk_query_error_being_processed"))
            #expect(pending.envelope?.errorCode == expected.errorCode)
            #expect(pending.envelope?.errorMessage == expected.errorMessage)
            #expect(pending.envelope?.requestID == checkout)
        }
    }

    @Test func initiatorAnswersAndResultsMatchTheFixtures() async throws {
        try await RawHarness.run { harness in
            let token = try await harness.token()
            let credential = try credential(harness)
            let cases: [(request: String, path: String, ack: String, result: String)] = [
                ("b2c_request_v3", DarajaEndpoint.b2cPaymentv3.path, "b2c_response", "b2c_result_success"),
                ("b2b_paybill_request", DarajaEndpoint.b2bPayment.path, "b2b_response", "b2b_result_success"),
                (
                    "account_balance_request", DarajaEndpoint.accountBalance.path, "account_balance_response",
                    "account_balance_result_success"
                ),
            ]
            for item in cases {
                var body = try request(item.request, harness: harness, path: item.request)
                body = try replaceCredential(in: body, with: credential)
                let ack = try await harness.post(item.path, body, token: token)
                #expect(ack.status == 200, "\(item.request)")
                #expect(keyPaths(try #require(ack.json)) == keyPaths(try fixture(item.ack)), "\(item.request)")
                let delivered = try #require(
                    await harness.recorder.waitForDeliveries(to: "/" + item.request, count: 1).first)
                let sent = try JSONDecoder().decode(JSONValue.self, from: delivered.body)
                #expect(keyPaths(sent) == keyPaths(try fixture(item.result)), "\(item.request)")
                #expect(labels(sent) == labels(try fixture(item.result)), "\(item.request)")
            }
        }
    }

    @Test func c2bRegisterAnswerKeepsDarajasMisspelling() async throws {
        try await RawHarness.run { harness in
            let token = try await harness.token()
            let body = try request("c2b_register_url_request", harness: harness, path: "c2b")
            let answer = try await harness.post(DarajaEndpoint.c2bRegisterURLv1.path, body, token: token)
            #expect(keyPaths(try #require(answer.json)) == keyPaths(try fixture("c2b_register_url_response")))
            let simulate = try request("c2b_simulate_request", harness: harness, path: "c2b")
            let simulated = try await harness.post(DarajaEndpoint.c2bSimulatev1.path, simulate, token: token)
            #expect(keyPaths(try #require(simulated.json)) == keyPaths(try fixture("c2b_simulate_response")))
            let confirmation = try #require(await harness.recorder.waitForDeliveries(to: "/c2b", count: 2).last)
            let sent = try JSONDecoder().decode(JSONValue.self, from: confirmation.body)
            #expect(keyPaths(sent) == keyPaths(try fixture("c2b_confirmation")))
        }
    }

    @Test func eitherSpellingOfMisspelledKeysIsAccepted() async throws {
        try await RawHarness.run { harness in
            let token = try await harness.token()
            let credential = try credential(harness)
            var body = try request("b2b_paybill_request", harness: harness, path: "b2b")
            body = try replaceCredential(in: body, with: credential)
                .replacingOccurrences(of: "RecieverIdentifierType", with: "ReceiverIdentifierType")
                .replacingOccurrences(of: "Occassion", with: "Occasion")
            let answer = try await harness.post(DarajaEndpoint.b2bPayment.path, body, token: token)
            #expect(answer.status == 200)
        }
    }

    func replaceCredential(in body: String, with credential: String) throws -> String {
        let pattern = try NSRegularExpression(pattern: "\"SecurityCredential\": \"[^\"]+\"")
        let range = NSRange(body.startIndex..., in: body)
        return pattern.stringByReplacingMatches(
            in: body, range: range, withTemplate: "\"SecurityCredential\": \"\(credential)\""
        )
    }
}
