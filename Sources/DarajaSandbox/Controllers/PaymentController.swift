import DarajaWire
import Foundation
import HTTPTypes
import Hummingbird

/// B2C (v1 and v3) and B2B payments (Daraja's B2C and Business Pay Bill API documentation): ack now, `Result` later.
struct PaymentController {
    let services: SandboxServices

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post(RouterPath(DarajaEndpoint.b2cPaymentv1.path)) { request, _ in try await self.b2c(request, v3: false)
        }
        router.post(RouterPath(DarajaEndpoint.b2cPaymentv3.path)) { request, _ in try await self.b2c(request, v3: true)
        }
        router.post(RouterPath(DarajaEndpoint.b2bPayment.path)) { request, _ in try await self.b2b(request) }
    }

    func b2c(_ request: Request, v3: Bool) async throws(SandboxHTTPError) -> Response {
        _ = try RequestReader.authorize(request, family: .initiator, services: services)
        let body = try await RequestReader.body(request, services: services)
        let common = try InitiatorRequest(
            body, initiatorKey: .initiatorName, commands: ["BusinessPayment", "SalaryPayment", "PromotionPayment"],
            services: services
        )
        guard let amount = FieldRules.wholeAmount(body.text(.amount), in: 1...250_000) else {
            throw .invalid(.amount)
        }
        guard let shortCode = body.text(.partyA), FieldRules.isShortCode(shortCode) else { throw .invalid(.partyA) }
        guard let msisdn = body.text(.partyB), FieldRules.isMSISDN(msisdn) else { throw .invalid(.partyB) }
        let (_, resultURL) = try common.urls(remarksRequired: true)
        let outcome = ScriptedOutcome.forMSISDN(msisdn)
        if outcome == .requestFails { throw .internalError }
        let time = KenyaTime(Date())
        let conversationID = IDGenerator.conversationID(at: time)
        var originatorID = IDGenerator.requestID()
        if v3 {
            guard let given = body.text(.originatorConversationID) else { throw .invalid(.originatorConversationID) }
            let duplicate = services.state.withLock { storage in
                defer { storage.b2cOriginatorIDs[given] = true }
                return storage.b2cOriginatorIDs[given] != nil
            }
            if duplicate {
                throw SandboxHTTPError(
                    .internalServerError, DarajaErrorCode.duplicateOriginatorConversationID,
                    "Duplicate OriginatorConversationID."
                )
            }
            originatorID = given
        }
        let (code, receipt, parameters) = settleB2C(
            amount: amount, shortCode: shortCode, msisdn: msisdn, outcome: outcome,
            credentialAccepted: common.credentialAccepted,
            time: time, ids: (originatorID, conversationID)
        )
        let envelope = ResultBuilder.envelope(
            code: code, originatorConversationID: originatorID, conversationID: conversationID,
            transactionID: receipt, parameters: parameters,
            reference: ResultBuilder.queueTimeoutItem("b2cresults/v1/submit")
        )
        services.sender.schedule(envelope, to: resultURL, count: code == "0" ? outcome.deliveryCount : 1)
        return ResultBuilder.acknowledgement(originatorConversationID: originatorID, conversationID: conversationID)
    }

    /// Decides a B2C result and moves the money: returns the code, the receipt and the success parameters.
    private func settleB2C(
        amount: Int64, shortCode: String, msisdn: String, outcome: ScriptedOutcome, credentialAccepted: Bool,
        time: KenyaTime, ids: (originator: String, conversation: String)
    ) -> (String, String, [KeyedParameter]?) {
        let failedReceipt = IDGenerator.failedReceipt(at: time)
        guard credentialAccepted else { return ("2001", failedReceipt, nil) }
        if case .failure(let code) = outcome { return (code, failedReceipt, nil) }
        guard amount >= 10 else { return ("2", failedReceipt, nil) }
        let receipt = IDGenerator.receipt(at: time)
        let accounts: Accounts? = services.state.withLock { storage in
            let debited = storage.withAccounts(shortCode) { accounts -> Accounts? in
                guard accounts.utilityCents >= amount * 100 else { return nil }
                accounts.utilityCents -= amount * 100
                return accounts
            }
            guard debited != nil else { return nil }
            storage.record(
                TransactionRecord(
                    kind: .b2c, receipt: receipt, amount: amount, debitPartyName: "\(shortCode) - Sandbox Shop",
                    creditPartyName: "\(msisdn) - SANDBOX CUSTOMER", shortCode: shortCode,
                    originatorConversationID: ids.originator, conversationID: ids.conversation,
                    completedTimestamp: time.timestamp, succeeded: true
                ),
                alsoKnownAs: [ids.originator, ids.conversation]
            )
            return debited
        }
        guard let accounts else { return ("1", failedReceipt, nil) }
        return (
            "0", receipt,
            [
                .init(.transactionAmount, ResultBuilder.number(amount)),
                .init(.transactionReceipt, .string(receipt)),
                .init(.receiverPartyPublicName, .string("\(msisdn) - SANDBOX CUSTOMER")),
                .init(.transactionCompletedDateTime, .string(time.dotted)),
                .init(.b2cUtilityAccountAvailableFunds, ResultBuilder.cents(accounts.utilityCents)),
                .init(.b2cWorkingAccountAvailableFunds, ResultBuilder.cents(accounts.workingCents)),
                .init(.b2cRecipientIsRegisteredCustomer, .string("Y")),
                .init(.b2cChargesPaidAccountAvailableFunds, ResultBuilder.cents(accounts.chargesPaidCents)),
            ]
        )
    }
}
