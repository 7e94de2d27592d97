import DarajaClient
import DarajaSandbox
import DarajaWire
import Foundation
import PesaTesting
import Testing

@Suite struct STKTests {
    static let scripted: [(phone: String, code: String, deliveries: Int)] = [
        ("254708374149", "0", 1), ("254712345678", "0", 1), ("254700000001", "1", 1), ("254700001032", "1032", 1),
        ("254700001037", "1037", 1), ("254700001019", "1019", 1), ("254700002001", "2001", 1),
        ("254700000002", "0", 2),
    ]

    @Test(arguments: scripted)
    func testNumberScriptsTheCallbackAndTheQuery(phone: String, code: String, deliveries: Int) async throws {
        try await SandboxHarness.run { harness in
            let client = harness.client()
            let ack = try await client.stkPush(PushInputs.make(harness, phone: phone, amount: 150))
            #expect(ack.responseCode.text == "0")
            #expect(ack.checkoutRequestID.hasPrefix("ws_CO_"))
            let received = await harness.recorder.waitForDeliveries(to: "/stk/\(phone)", count: deliveries)
            #expect(received.count == deliveries)
            let callback = try #require(received.first).decode(STKCallbackEnvelope.self).callback
            #expect(callback.checkoutRequestID == ack.checkoutRequestID)
            #expect(callback.merchantRequestID == ack.merchantRequestID)
            #expect(callback.resultCode.text == code)
            #expect(callback.resultCode.encodesAsNumber)
            if code == "0" {
                #expect(callback.amount == 150)
                #expect(callback.phoneNumber == phone)
                #expect(callback.receiptNumber?.count == 10)
            } else {
                #expect(callback.callbackMetadata == nil)
            }
            let status = try await client.stkQuery(
                businessShortCode: "174379", passkey: SandboxHarness.passkey, checkoutRequestID: ack.checkoutRequestID
            )
            guard case .completed(let answer) = status else {
                Issue.record("query still pending after the callback")
                return
            }
            #expect(answer.resultCode.text == code)
            #expect(!answer.resultCode.encodesAsNumber)
        }
    }

    @Test func neverDeliveredCallbackButQueryTellsTheTruth() async throws {
        try await SandboxHarness.run { harness in
            let client = harness.client()
            let silent = try await client.stkPush(PushInputs.make(harness, phone: "254700000009"))
            _ = try await client.stkPush(PushInputs.make(harness, phone: "254708374149", callback: "stk/control"))
            // FIFO sender: once the later push's callback arrived, the silent one would have been sent before it.
            #expect(await harness.recorder.waitForDeliveries(to: "/stk/control", count: 1).count == 1)
            #expect(harness.recorder.deliveries(to: "/stk/254700000009").isEmpty)
            let status = try await client.stkQuery(
                businessShortCode: "174379", passkey: SandboxHarness.passkey,
                checkoutRequestID: silent.checkoutRequestID
            )
            guard case .completed(let answer) = status else {
                Issue.record("expected a final answer")
                return
            }
            #expect(answer.resultCode.text == "0")
        }
    }

    @Test func queryIsPendingUntilTheCustomerAnswers() async throws {
        try await SandboxHarness.run(SandboxConfiguration(callbackDelayMs: 60_000)) { harness in
            let client = harness.client()
            let ack = try await client.stkPush(PushInputs.make(harness, phone: "254708374149"))
            let status = try await client.stkQuery(
                businessShortCode: "174379", passkey: SandboxHarness.passkey, checkoutRequestID: ack.checkoutRequestID
            )
            #expect(status == .pending)
        }
    }

    @Test func requestFailureNumberGivesDarajas500Envelope() async throws {
        try await SandboxHarness.run { harness in
            let error = await #expect(throws: DarajaError.self) {
                _ = try await harness.client().stkPush(PushInputs.make(harness, phone: "254700000500"))
            }
            #expect(error?.httpStatus == 500)
            #expect(error?.darajaErrorCode == "500.003.1001")
            // A money-moving request that failed with a server fault is never re-sent: its outcome is unknown.
            #expect(error?.code == .outcomeUnknown)
            #expect(harness.sandbox.statistics.stkPushCount == 0)
        }
    }

    @Test func wrongPasskeyAndUnknownShortCodeAndBadPhone() async throws {
        try await SandboxHarness.run { harness in
            let client = harness.client()
            let wrong = await #expect(throws: DarajaError.self) {
                _ = try await client.stkPush(
                    PushInputs.make(harness, phone: "254708374149", passkey: "not-the-passkey"))
            }
            #expect(wrong?.code == .rejected)
            #expect(wrong?.darajaErrorCode == "500.001.1001")
            #expect(wrong?.darajaErrorMessage == "Wrong credentials")
            let unknown = await #expect(throws: DarajaError.self) {
                _ = try await client.stkPush(PushInputs.make(harness, phone: "254708374149", shortCode: "123456"))
            }
            #expect(unknown?.darajaErrorMessage == "Merchant does not exist")
            let phone = await #expect(throws: DarajaError.self) {
                _ = try await client.stkPush(PushInputs.make(harness, phone: "0712345678"))
            }
            #expect(phone?.httpStatus == 400)
            #expect(phone?.darajaErrorCode == "400.002.02")
            #expect(phone?.darajaErrorMessage == "Bad Request - Invalid PhoneNumber")
        }
    }

    @Test func operatorRegisteredPasskeyIsChecked() async throws {
        try await SandboxHarness.run { harness in
            harness.sandbox.registerPasskey("examplepasskey", forShortCode: "7654321")
            var input = PushInputs.make(harness, phone: "254110987654", shortCode: "7654321", passkey: "examplepasskey")
            input.transactionType = STKTransactionType.buyGoods
            input.partyB = "8812345"
            let ack = try await harness.client().stkPush(input)
            #expect(ack.responseCode.text == "0")
        }
    }
}
