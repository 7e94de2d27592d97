import DarajaWire
import Foundation
import HTTPTypes
import Hummingbird

extension PaymentController {
    static let b2bCommands: Set<String> = [
        "BusinessPayBill", "BusinessBuyGoods", "BusinessTransferFromMMFToUtility", "BusinessTransferFromUtilityToMMF",
        "DisburseFundsToBusiness", "BusinessToBusinessTransfer", "MerchantToMerchantTransfer",
    ]

    func b2b(_ request: Request) async throws(SandboxHTTPError) -> Response {
        _ = try RequestReader.authorize(request, family: .initiator, services: services)
        let body = try await RequestReader.body(request, services: services)
        let common = try InitiatorRequest(
            body, initiatorKey: "Initiator", commands: Self.b2bCommands, services: services)
        guard FieldRules.isDigits(body.text("SenderIdentifierType") ?? "") else {
            throw .invalid("SenderIdentifierType")
        }
        guard FieldRules.isDigits(body.text("RecieverIdentifierType", "ReceiverIdentifierType") ?? "") else {
            throw .invalid("RecieverIdentifierType")
        }
        guard let amount = FieldRules.wholeAmount(body.text("Amount"), in: 1...999_999_999) else {
            throw .invalid("Amount")
        }
        guard let partyA = body.text("PartyA"), FieldRules.isShortCode(partyA) else { throw .invalid("PartyA") }
        guard let partyB = body.text("PartyB"), FieldRules.isShortCode(partyB) else { throw .invalid("PartyB") }
        let reference = body.text("AccountReference") ?? ""
        guard reference.count <= 13 else { throw .invalid("AccountReference") }
        let (_, resultURL) = try common.urls(remarksRequired: true)
        let time = KenyaTime(Date())
        let ids = (originator: IDGenerator.requestID(), conversation: IDGenerator.conversationID(at: time))
        var code = common.credentialAccepted ? "0" : "2001"
        var receipt = IDGenerator.failedReceipt(at: time)
        var parameters: [KeyedParameter]? = [
            .init(key: "BOCompletedTime", value: .integer(Int64(time.timestamp) ?? 0))
        ]
        if code == "0" {
            let newReceipt = IDGenerator.receipt(at: time)
            let accounts = services.state.withLock { storage -> Accounts? in
                let debited = storage.withAccounts(partyA) { accounts -> Accounts? in
                    guard accounts.workingCents >= amount * 100 else { return nil }
                    accounts.workingCents -= amount * 100
                    return accounts
                }
                guard debited != nil else { return nil }
                storage.withAccounts(partyB) { $0.workingCents += amount * 100 }
                storage.record(
                    TransactionRecord(
                        kind: .b2b, receipt: newReceipt, amount: amount, debitPartyName: "\(partyA) - Sandbox Shop",
                        creditPartyName: "\(partyB) - Sandbox Supplier", shortCode: partyA,
                        originatorConversationID: ids.originator, conversationID: ids.conversation,
                        completedTimestamp: time.timestamp, succeeded: true
                    ),
                    alsoKnownAs: [ids.originator, ids.conversation]
                )
                return debited
            }
            if let accounts {
                receipt = newReceipt
                parameters = Self.b2bParameters(amount: amount, accounts: accounts, partyB: partyB, time: time)
            } else {
                code = "1"
            }
        }
        var referenceItems = [
            KeyedParameter(
                key: "QueueTimeoutURL", value: .string(ResultBuilder.internalSandbox + "b2bresults/v1/submit"))
        ]
        if code == "0", let account = body.text("AccountReference") {
            referenceItems.insert(.init(key: "BillReferenceNumber", value: .string(account)), at: 0)
        }
        referenceItems.append(.init(key: "Occassion", value: common.occasion.map { .string($0) }))
        let envelope = ResultBuilder.envelope(
            code: code, originatorConversationID: ids.originator, conversationID: ids.conversation,
            transactionID: receipt, parameters: parameters, reference: OneOrMany(referenceItems)
        )
        services.sender.schedule(envelope, to: resultURL)
        return ResultBuilder.acknowledgement(originatorConversationID: ids.originator, conversationID: ids.conversation)
    }

    static func b2bParameters(amount: Int64, accounts: Accounts, partyB: String, time: KenyaTime) -> [KeyedParameter] {
        let balance = Accounts.format(accounts.workingCents)
        let structured = "{Amount={CurrencyCode=KES, MinimumAmount=\(accounts.workingCents), BasicAmount=\(balance)}}"
        let before = Accounts.format(accounts.workingCents + amount * 100)
        return [
            .init(key: "DebitAccountBalance", value: .string(structured)),
            .init(key: "Amount", value: .string(Accounts.format(amount * 100))),
            .init(
                key: "DebitPartyAffectedAccountBalance",
                value: .string("Working Account|KES|\(before)|\(balance)|\(Accounts.format(amount * 100))|0.00")
            ),
            .init(key: "TransCompletedTime", value: .string(time.timestamp)),
            .init(key: "DebitPartyCharges", value: .string("")),
            .init(key: "ReceiverPartyPublicName", value: .string("\(partyB) - Sandbox Supplier")),
            .init(key: "Currency", value: .string("KES")),
            .init(key: "InitiatorAccountCurrentBalance", value: .string(structured)),
        ]
    }
}
