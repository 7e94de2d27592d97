import DarajaWire
import Foundation
import HTTPTypes
import Hummingbird

/// Account balance, transaction status and reversal (Daraja's API documentation of each).
struct AccountController {
    let services: SandboxServices

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post(RouterPath(DarajaEndpoint.accountBalance.path)) { request, _ in try await self.balance(request) }
        router.post(RouterPath(DarajaEndpoint.transactionStatus.path)) { request, _ in try await self.status(request) }
        router.post(RouterPath(DarajaEndpoint.reversal.path)) { request, _ in try await self.reversal(request) }
    }

    func balance(_ request: Request) async throws(SandboxHTTPError) -> Response {
        _ = try RequestReader.authorize(request, family: .initiator, services: services)
        let body = try await RequestReader.body(request, services: services)
        let common = try InitiatorRequest(
            body, initiatorKey: .initiator, commands: ["AccountBalance"], services: services)
        guard let shortCode = body.text(.partyA), FieldRules.isShortCode(shortCode) else { throw .invalid(.partyA) }
        guard FieldRules.isDigits(body.text(.identifierType) ?? "") else { throw .invalid(.identifierType) }
        let (_, resultURL) = try common.urls(remarksRequired: false)
        let time = KenyaTime(Date())
        let ids = (originator: IDGenerator.requestID(), conversation: IDGenerator.conversationID(at: time))
        let code = common.credentialAccepted ? "0" : "2001"
        var parameters: [KeyedParameter]?
        if code == "0" {
            let accounts = services.state.withLock { storage in storage.withAccounts(shortCode) { $0 } }
            parameters = [
                .init(.accountBalance, .string(accounts.balanceString)),
                .init(.boCompletedTime, .string(time.timestamp)),
            ]
        }
        let envelope = ResultBuilder.envelope(
            code: code, originatorConversationID: ids.originator, conversationID: ids.conversation,
            transactionID: IDGenerator.failedReceipt(at: time), parameters: parameters,
            reference: ResultBuilder.queueTimeoutItem("abresults/v1/submit")
        )
        services.sender.schedule(envelope, to: resultURL)
        return ResultBuilder.acknowledgement(originatorConversationID: ids.originator, conversationID: ids.conversation)
    }

    func status(_ request: Request) async throws(SandboxHTTPError) -> Response {
        _ = try RequestReader.authorize(request, family: .initiator, services: services)
        let body = try await RequestReader.body(request, services: services)
        let common = try InitiatorRequest(
            body, initiatorKey: .initiator, commands: ["TransactionStatusQuery"], services: services
        )
        let receipt = body.text(.transactionID)
        let original = body.text(.originalConversationID)
        guard receipt != nil || original != nil else { throw .invalid(.transactionID) }
        guard FieldRules.isDigits(body.text(.partyA) ?? "") else { throw .invalid(.partyA) }
        guard FieldRules.isDigits(body.text(.identifierType) ?? "") else { throw .invalid(.identifierType) }
        let (_, resultURL) = try common.urls(remarksRequired: false)
        let time = KenyaTime(Date())
        let ids = (originator: IDGenerator.requestID(), conversation: IDGenerator.conversationID(at: time))
        let found = services.state.withLock { $0.transaction(receipt: receipt, conversationID: original) }
        var code = common.credentialAccepted ? "0" : "2001"
        var parameters: [KeyedParameter]?
        if code == "0" {
            if let found {
                parameters = Self.statusParameters(found)
            } else {
                code = "2032"
            }
        }
        let envelope = ResultBuilder.envelope(
            code: code, originatorConversationID: ids.originator, conversationID: ids.conversation,
            transactionID: IDGenerator.failedReceipt(at: time), parameters: parameters,
            reference: OneOrMany(single: KeyedParameter(.occasion, common.occasion.map { .string($0) }))
        )
        services.sender.schedule(envelope, to: resultURL)
        return ResultBuilder.acknowledgement(originatorConversationID: ids.originator, conversationID: ids.conversation)
    }

    static func statusParameters(_ record: TransactionRecord) -> [KeyedParameter] {
        let completed = ParameterValue.integer(Int64(record.completedTimestamp) ?? 0)
        let reasonType: String =
            switch record.kind {
            case .stk: "Pay Bill Online"
            case .c2b: "Pay Bill"
            case .b2c: "Business Payment"
            case .b2b: "Business Pay Bill"
            case .reversal: "Reversal"
            }
        return [
            .init(.debitPartyName, .string(record.debitPartyName)),
            .init(.creditPartyName, .string(record.creditPartyName)),
            .init(.originatorConversationID, .string(record.originatorConversationID)),
            .init(.initiatedTime, completed),
            .init(.debitAccountType, .string("MMF Account For Customer")),
            .init(.debitPartyCharges, nil),
            .init(.transactionReason, nil),
            .init(.reasonType, .string(reasonType)),
            .init(.transactionStatus, .string(record.reversed ? "Reversed" : "Completed")),
            .init(.finalisedTime, completed),
            .init(.amount, ResultBuilder.number(record.amount)),
            .init(.conversationID, .string(record.conversationID)),
            .init(.receiptNo, .string(record.receipt)),
        ]
    }
}
