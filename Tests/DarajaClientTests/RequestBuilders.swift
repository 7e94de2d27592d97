import DarajaClient
import DarajaSandbox
import DarajaWire

enum PushInputs {
    static func make(
        _ harness: SandboxHarness, phone: String, amount: Int64 = 10, shortCode: String = "174379",
        passkey: DarajaSecret = SandboxHarness.passkey, callback: String? = nil
    ) -> STKPushInput {
        STKPushInput(
            businessShortCode: shortCode, passkey: passkey, amount: amount, phoneNumber: phone,
            callbackURL: harness.callbackURL(callback ?? "stk/\(phone)"), accountReference: "INV-1",
            transactionDescription: "Order 1"
        )
    }
}

enum Requests {
    static let password: DarajaSecret = "Safaricom999!*!"

    static func balance(credential: String, harness: SandboxHarness, partyA: String = "600999") -> AccountBalanceRequest
    {
        AccountBalanceRequest(
            initiator: "testapi", securityCredential: credential, partyA: FlexibleString(numberIfPossible: partyA),
            identifierType: "4", remarks: "Balance", queueTimeOutURL: harness.callbackURL("balance/timeout"),
            resultURL: harness.callbackURL("balance/result")
        )
    }

    static func b2c(
        credential: String, harness: SandboxHarness, phone: String, amount: Int64 = 100, originatorID: String?,
        path: String? = nil
    ) -> B2CPaymentRequest {
        B2CPaymentRequest(
            originatorConversationID: originatorID, initiatorName: "testapi", securityCredential: credential,
            commandID: "BusinessPayment", amount: FlexibleString(amount), partyA: 600997,
            partyB: FlexibleString(numberIfPossible: phone), remarks: "Payout",
            queueTimeOutURL: harness.callbackURL("b2c/timeout"), resultURL: harness.callbackURL(path ?? "b2c/\(phone)"),
            occasion: "Test"
        )
    }

    static func status(
        credential: String, harness: SandboxHarness, receipt: String?, conversationID: String? = nil, path: String
    ) -> TransactionStatusRequest {
        TransactionStatusRequest(
            initiator: "testapi", securityCredential: credential, transactionID: receipt,
            originalConversationID: conversationID, partyA: 174379, identifierType: "4",
            resultURL: harness.callbackURL(path), queueTimeOutURL: harness.callbackURL("status/timeout"),
            remarks: "Recon", occasion: "Recon"
        )
    }

    static func reversal(credential: String, harness: SandboxHarness, receipt: String, path: String) -> ReversalRequest
    {
        ReversalRequest(
            initiator: "testapi", securityCredential: credential, transactionID: receipt, amount: 10,
            receiverParty: 174379, resultURL: harness.callbackURL(path),
            queueTimeOutURL: harness.callbackURL("reversal/timeout"), remarks: "Paid twice", occasion: nil
        )
    }
}
