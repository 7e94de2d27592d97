import DarajaSandbox
import DarajaWire
import Foundation
import PesaTesting
import Testing

/// When the validation URL does not answer, the registered ResponseType decides (Daraja's C2B
/// Register URL API documentation).
@Suite struct C2BResponseTypeTests {
    func register(_ harness: RawHarness, responseType: String, token: String) async throws {
        let body = """
            {"ShortCode":"600984","ResponseType":"\(responseType)",\
            "ConfirmationURL":"\(harness.callbackURL("confirm"))",
             "ValidationURL":"http://127.0.0.1:1/validate"}
            """
        let answer = try await harness.post(DarajaEndpoint.c2bRegisterURLv1.path, body, token: token)
        #expect(answer.status == 200)
    }

    static let simulate =
        #"{"ShortCode":600984,"CommandID":"CustomerPayBillOnline","Amount":"100","Msisdn":"254708374149"}"#

    @Test func completedCompletesWhenValidationIsUnreachable() async throws {
        try await RawHarness.run(SandboxConfiguration(callbackDelayMs: 5, callbackTimeoutMs: 500)) { harness in
            let token = try await harness.token()
            try await register(harness, responseType: "Completed", token: token)
            _ = try await harness.post(DarajaEndpoint.c2bSimulatev1.path, Self.simulate, token: token)
            let confirmed = await harness.recorder.waitForDeliveries(to: "/confirm", count: 1)
            #expect(confirmed.count == 1)
            let body = try #require(confirmed.first).body
            #expect(try JSONDecoder().decode(C2BTransaction.self, from: body).billRefNumber == "")
        }
    }

    @Test func cancelledCancelsWhenValidationIsUnreachable() async throws {
        try await RawHarness.run(SandboxConfiguration(callbackDelayMs: 5, callbackTimeoutMs: 500)) { harness in
            let token = try await harness.token()
            try await register(harness, responseType: "Cancelled", token: token)
            _ = try await harness.post(DarajaEndpoint.c2bSimulatev1.path, Self.simulate, token: token)
            // An STK callback queued after the C2B flow arrives only once the sender has moved past it.
            let push = EnvelopeTests.push(callback: harness.callbackURL("after"))
            _ = try await harness.post(DarajaEndpoint.stkPush.path, push, token: token)
            #expect(await harness.recorder.waitForDeliveries(to: "/after", count: 1).count == 1)
            #expect(harness.recorder.deliveries(to: "/confirm").isEmpty)
        }
    }

    @Test func invalidResponseTypeIsRefused() async throws {
        try await RawHarness.run { harness in
            let token = try await harness.token()
            let body =
                #"{"ShortCode":"600984","ResponseType":"completed","ConfirmationURL":"http://127.0.0.1:9/c","#
                    + #""ValidationURL":"http://127.0.0.1:9/v"}"#
            let answer = try await harness.post(DarajaEndpoint.c2bRegisterURLv1.path, body, token: token)
            #expect(answer.envelope?.errorMessage == "Bad Request - Invalid ResponseType")
        }
    }

    @Test func callbackDelayComesFromTheEnvironment() {
        var configuration = SandboxConfiguration()
        configuration.apply(environment: ["PESA_SANDBOX_CALLBACK_DELAY_MS": "25"])
        #expect(configuration.callbackDelayMs == 25)
        configuration.apply(environment: ["PESA_SANDBOX_CALLBACK_DELAY_MS": "soon"])
        #expect(configuration.callbackDelayMs == 25)
    }
}
