import DarajaClient
import DarajaSandbox
import DarajaWire
import Foundation
import PesaTesting
import Testing

@Suite struct InitiatorTests {
    static let scripted: [(phone: String, code: String)] = [
        ("254708374149", "0"), ("254700000001", "1"), ("254700001032", "1032"), ("254700002001", "2001"),
        ("254700001019", "1019"), ("254700001037", "1037"),
    ]

    @Test(arguments: scripted)
    func b2cTestNumbers(phone: String, code: String) async throws {
        try await SandboxHarness.run { harness in
            let credential = try harness.certificate().securityCredential(for: Requests.password)
            let request = Requests.b2c(
                credential: credential, harness: harness, phone: phone, originatorID: "o-\(phone)")
            let ack = try await harness.client().b2cPayment(request)
            #expect(ack.originatorConversationID == "o-\(phone)")
            #expect(ack.conversationID.hasPrefix("AG_"))
            let delivered = await harness.recorder.waitForDeliveries(to: "/b2c/\(phone)", count: 1)
            let result = try #require(delivered.first).decode(ResultEnvelope.self).result
            #expect(result.resultCode.text == code)
            #expect(result.originatorConversationID == "o-\(phone)")
            #expect(result.conversationID == ack.conversationID)
            if code == "0" {
                #expect(result.parameters.value(forKey: "TransactionAmount")?.wholeUnits == 100)
                #expect(result.parameters.value(forKey: "TransactionReceipt")?.text == result.transactionID)
            } else {
                #expect(result.resultParameters == nil)
                #expect(result.transactionID.hasSuffix("0000000"))
            }
        }
    }

    @Test func b2cDuplicateAndSilentResults() async throws {
        try await SandboxHarness.run { harness in
            let client = harness.client()
            let credential = try harness.certificate().securityCredential(for: Requests.password)
            let twice = Requests.b2c(
                credential: credential, harness: harness, phone: "254700000002", originatorID: "twice")
            let silent = Requests.b2c(
                credential: credential, harness: harness, phone: "254700000009", originatorID: "silent")
            _ = try await client.b2cPayment(twice)
            _ = try await client.b2cPayment(silent)
            let duplicates = await harness.recorder.waitForDeliveries(to: "/b2c/254700000002", count: 2)
            #expect(duplicates.count == 2)
            #expect(try duplicates.map { try $0.decode(ResultEnvelope.self).result.transactionID }.count == 2)
            // The silent payout's result never comes; transaction status by its OriginatorConversationID tells
            // the truth.
            let status = Requests.status(
                credential: credential, harness: harness, receipt: nil, conversationID: "silent", path: "silent-status"
            )
            _ = try await client.transactionStatus(status)
            let answer = try #require(await harness.recorder.waitForDeliveries(to: "/silent-status", count: 1).first)
            let result = try answer.decode(ResultEnvelope.self).result
            #expect(result.resultCode.text == "0")
            #expect(result.parameters.value(forKey: "ReasonType")?.text == "Business Payment")
            #expect(harness.recorder.deliveries(to: "/b2c/254700000009").isEmpty)
        }
    }

    @Test func clientCredentialAcceptedAndWrongOneAnswered2001() async throws {
        try await SandboxHarness.run { harness in
            let client = harness.client()
            let certificate = try harness.certificate()
            #expect(certificate.keySizeInBits == 2048)
            let good = try certificate.securityCredential(for: Requests.password)
            #expect(good.count == 344)
            let bad = try certificate.securityCredential(for: "wrong-password")
            _ = try await client.b2cPayment(
                Requests.b2c(credential: good, harness: harness, phone: "254708374149", originatorID: nil, path: "good")
            )
            _ = try await client.b2cPayment(
                Requests.b2c(credential: bad, harness: harness, phone: "254708374149", originatorID: nil, path: "bad")
            )
            let goodResult = try #require(await harness.recorder.waitForDeliveries(to: "/good", count: 1).first)
            let badResult = try #require(await harness.recorder.waitForDeliveries(to: "/bad", count: 1).first)
            #expect(try goodResult.decode(ResultEnvelope.self).result.resultCode.text == "0")
            #expect(try badResult.decode(ResultEnvelope.self).result.resultCode.text == "2001")
        }
    }

    @Test func duplicateOriginatorConversationIDIsRefused() async throws {
        try await SandboxHarness.run { harness in
            let credential = try harness.certificate().securityCredential(for: Requests.password)
            let request = Requests.b2c(
                credential: credential, harness: harness, phone: "254708374149", originatorID: "dup-1")
            _ = try await harness.client().b2cPayment(request)
            let error = await #expect(throws: DarajaError.self) { _ = try await harness.client().b2cPayment(request) }
            #expect(error?.code == .rejected)
            #expect(error?.darajaErrorCode == "500.002.1001")
        }
    }

    @Test func b2cRequestFailureNumberIsOutcomeUnknown() async throws {
        try await SandboxHarness.run { harness in
            let credential = try harness.certificate().securityCredential(for: Requests.password)
            let request = Requests.b2c(
                credential: credential, harness: harness, phone: "254700000500", originatorID: "x-1")
            let error = await #expect(throws: DarajaError.self) { _ = try await harness.client().b2cPayment(request) }
            #expect(error?.code == .outcomeUnknown)
            #expect(error?.httpStatus == 500)
        }
    }

    @Test func b2bPaysAndMovesBalances() async throws {
        try await SandboxHarness.run { harness in
            let client = harness.client()
            let credential = try harness.certificate().securityCredential(for: Requests.password)
            let request = B2BPaymentRequest(
                initiator: "testapi", securityCredential: credential, commandID: "BusinessPayBill",
                senderIdentifierType: "4", receiverIdentifierType: "4", amount: 2390, partyA: 600999, partyB: 600000,
                accountReference: "ACC-553301", requester: nil, remarks: "Supplier",
                queueTimeOutURL: harness.callbackURL("b2b/timeout"), resultURL: harness.callbackURL("b2b/result"),
                occasion: nil
            )
            _ = try await client.b2bPayment(request)
            let result = try #require(await harness.recorder.waitForDeliveries(to: "/b2b/result", count: 1).first)
                .decode(ResultEnvelope.self).result
            #expect(result.resultCode.text == "0")
            #expect(result.parameters.value(forKey: "Amount")?.wholeUnits == 2390)
            #expect(result.referenceItems.value(forKey: "BillReferenceNumber")?.text == "ACC-553301")
            _ = try await client.accountBalance(Requests.balance(credential: credential, harness: harness))
            let balance = try #require(await harness.recorder.waitForDeliveries(to: "/balance/result", count: 1).first)
                .decode(ResultEnvelope.self).result
            let text = try #require(balance.parameters.value(forKey: "AccountBalance")?.text)
            #expect(text.hasPrefix("Working Account|KES|497610.00|497610.00|0.00|0.00&"))
        }
    }

    @Test func stkPaymentShowsInBalanceStatusAndCanBeReversedOnce() async throws {
        try await SandboxHarness.run { harness in
            let client = harness.client()
            let credential = try harness.certificate().securityCredential(for: Requests.password)
            _ = try await client.stkPush(PushInputs.make(harness, phone: "254708374149", amount: 150))
            let callback = try #require(
                await harness.recorder.waitForDeliveries(to: "/stk/254708374149", count: 1).first)
            let receipt = try #require(try callback.decode(STKCallbackEnvelope.self).callback.receiptNumber)

            _ = try await client.accountBalance(
                Requests.balance(credential: credential, harness: harness, partyA: "174379"))
            let balance = try #require(await harness.recorder.waitForDeliveries(to: "/balance/result", count: 1).first)
            let text = try balance.decode(ResultEnvelope.self).result.parameters.value(forKey: "AccountBalance")?.text
            #expect(text?.hasPrefix("Working Account|KES|500150.00|") == true)

            _ = try await client.transactionStatus(
                Requests.status(credential: credential, harness: harness, receipt: receipt, path: "s1"))
            _ = try await client.transactionStatus(
                Requests.status(credential: credential, harness: harness, receipt: "TXX0000001", path: "s2"))
            let found = try #require(await harness.recorder.waitForDeliveries(to: "/s1", count: 1).first).decode(
                ResultEnvelope.self)
            let missing = try #require(await harness.recorder.waitForDeliveries(to: "/s2", count: 1).first).decode(
                ResultEnvelope.self)
            #expect(found.result.resultCode.text == "0")
            #expect(found.result.parameters.value(forKey: "ReceiptNo")?.text == receipt)
            #expect(found.result.parameters.value(forKey: "TransactionStatus")?.text == "Completed")
            #expect(missing.result.resultCode.text == "2032")

            for path in ["r1", "r2"] {
                _ = try await client.reversal(
                    Requests.reversal(credential: credential, harness: harness, receipt: receipt, path: path))
            }
            _ = try await client.reversal(
                Requests.reversal(credential: credential, harness: harness, receipt: "TXX0000001", path: "r3"))
            let codes = try await ["r1", "r2", "r3"].asyncMap { path in
                try #require(await harness.recorder.waitForDeliveries(to: "/\(path)", count: 1).first)
                    .decode(ResultEnvelope.self).result.resultCode.text
            }
            #expect(codes == ["0", "R000001", "R000002"])
        }
    }

    @Test func silentSTKIsFoundByTransactionStatusWithItsCheckoutRequestID() async throws {
        try await SandboxHarness.run { harness in
            let client = harness.client()
            let credential = try harness.certificate().securityCredential(for: Requests.password)
            let ack = try await client.stkPush(PushInputs.make(harness, phone: "254700000009"))
            let request = Requests.status(
                credential: credential, harness: harness, receipt: nil, conversationID: ack.checkoutRequestID, path: "s"
            )
            _ = try await client.transactionStatus(request)
            let result = try #require(await harness.recorder.waitForDeliveries(to: "/s", count: 1).first)
                .decode(ResultEnvelope.self).result
            #expect(result.resultCode.text == "0")
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
