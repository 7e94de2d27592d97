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
            body, initiatorKey: .initiator, commands: Self.b2bCommands, services: services)
        guard FieldRules.isDigits(body.text(.senderIdentifierType) ?? "") else {
            throw .invalid(.senderIdentifierType)
        }
        guard FieldRules.isDigits(body.text(.recieverIdentifierType, .receiverIdentifierType) ?? "") else {
            throw .invalid(.recieverIdentifierType)
        }
        guard let amount = FieldRules.wholeAmount(body.text(.amount), in: 1...999_999_999) else {
            throw .invalid(.amount)
        }
        guard let partyA = body.text(.partyA), FieldRules.isShortCode(partyA) else { throw .invalid(.partyA) }
        guard let partyB = body.text(.partyB), FieldRules.isShortCode(partyB) else { throw .invalid(.partyB) }
        let reference = body.text(.accountReference) ?? ""
        guard reference.count <= 13 else { throw .invalid(.accountReference) }
        let (_, resultURL) = try common.urls(remarksRequired: true)
        let time = KenyaTime(Date())
        let ids = (originator: IDGenerator.requestID(), conversation: IDGenerator.conversationID(at: time))
        var code = common.credentialAccepted ? "0" : "2001"
        var receipt = IDGenerator.failedReceipt(at: time)
        var parameters: [KeyedParameter]? = [
            .init(.boCompletedTime, .integer(Int64(time.timestamp) ?? 0))
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
            KeyedParameter(.queueTimeoutURL, .string(ResultBuilder.internalSandbox + "b2bresults/v1/submit"))
        ]
        if code == "0", let account = body.text(.accountReference) {
            referenceItems.insert(.init(.billReferenceNumber, .string(account)), at: 0)
        }
        referenceItems.append(.init(.occassion, common.occasion.map { .string($0) }))
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
            .init(.debitAccountBalance, .string(structured)),
            .init(.amount, .string(Accounts.format(amount * 100))),
            .init(
                .debitPartyAffectedAccountBalance,
                .string("Working Account|KES|\(before)|\(balance)|\(Accounts.format(amount * 100))|0.00")
            ),
            .init(.transCompletedTime, .string(time.timestamp)),
            .init(.debitPartyCharges, .string("")),
            .init(.receiverPartyPublicName, .string("\(partyB) - Sandbox Supplier")),
            .init(.currency, .string("KES")),
            .init(.initiatorAccountCurrentBalance, .string(structured)),
        ]
    }
}
