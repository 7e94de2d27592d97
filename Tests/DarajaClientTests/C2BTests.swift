import DarajaClient
import DarajaSandbox
import DarajaWire
import Foundation
import PesaTesting
import Testing

@Suite struct C2BTests {
    func register(_ harness: SandboxHarness, shortCode: FlexibleString, responseType: String = "Completed") async throws
    {
        let ack = try await harness.client().registerC2BURLs(
            C2BRegisterURLRequest(
                shortCode: shortCode, responseType: responseType, confirmationURL: harness.callbackURL("c2b/confirm"),
                validationURL: harness.callbackURL("c2b/validate")
            )
        )
        #expect(ack.responseCode.text == "0")
        #expect(!ack.originatorConversationID.isEmpty)
    }

    @Test func simulateCallsValidationThenConfirmation() async throws {
        try await SandboxHarness.run { harness in
            try await register(harness, shortCode: 600984)
            harness.recorder.setReply(
                #"{"ResultCode":"0","ResultDesc":"Accepted","ThirdPartyTransID":"shop-1"}"#, forPath: "/c2b/validate"
            )
            let ack = try await harness.client().simulateC2B(
                C2BSimulateRequest(
                    shortCode: 600984, commandID: "CustomerPayBillOnline", amount: 250, msisdn: 254708374149,
                    billRefNumber: "INV-1")
            )
            #expect(ack.responseDescription == "Accept the service request successfully.")
            let validation = try #require(await harness.recorder.waitForDeliveries(to: "/c2b/validate", count: 1).first)
            let confirmation = try #require(
                await harness.recorder.waitForDeliveries(to: "/c2b/confirm", count: 1).first)
            let validated = try validation.decode(C2BTransaction.self)
            let confirmed = try confirmation.decode(C2BTransaction.self)
            #expect(validated.transID == confirmed.transID)
            #expect(validated.orgAccountBalance == "")
            #expect(confirmed.orgAccountBalance == "500250.00")
            #expect(confirmed.thirdPartyTransID == "shop-1")
            #expect(confirmed.transAmount.text == "250.00")
            #expect(confirmed.msisdn == "25470****149")
            #expect(confirmed.billRefNumber == "INV-1")
        }
    }

    @Test func rejectedValidationSendsNoConfirmation() async throws {
        try await SandboxHarness.run { harness in
            try await register(harness, shortCode: "600984")
            harness.recorder.setReply(#"{"ResultCode":"C2B00012","ResultDesc":"Rejected"}"#, forPath: "/c2b/validate")
            let client = harness.client()
            _ = try await client.simulateC2B(
                C2BSimulateRequest(
                    shortCode: 600984, commandID: "CustomerPayBillOnline", amount: 250, msisdn: 254708374149,
                    billRefNumber: "BAD")
            )
            #expect(await harness.recorder.waitForDeliveries(to: "/c2b/validate", count: 1).count == 1)
            // A later STK callback proves the sender moved on; the rejected payment produced no confirmation.
            _ = try await client.stkPush(PushInputs.make(harness, phone: "254708374149", callback: "stk/control"))
            #expect(await harness.recorder.waitForDeliveries(to: "/stk/control", count: 1).count == 1)
            #expect(harness.recorder.deliveries(to: "/c2b/confirm").isEmpty)
        }
    }
}
