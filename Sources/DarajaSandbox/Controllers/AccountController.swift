import DarajaWire
import Foundation
import HTTPTypes
import Hummingbird

/// Account balance, transaction status and reversal (REFERENCE.md 10).
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
            body, initiatorKey: "Initiator", commands: ["AccountBalance"], services: services)
        guard let shortCode = body.text("PartyA"), FieldRules.isShortCode(shortCode) else { throw .invalid("PartyA") }
        guard FieldRules.isDigits(body.text("IdentifierType") ?? "") else { throw .invalid("IdentifierType") }
        let (_, resultURL) = try common.urls(remarksRequired: false)
        let time = KenyaTime(Date())
        let ids = (originator: IDGenerator.requestID(), conversation: IDGenerator.conversationID(at: time))
        let code = common.credentialAccepted ? "0" : "2001"
        var parameters: [KeyedParameter]?
        if code == "0" {
            let accounts = services.state.withLock { storage in storage.withAccounts(shortCode) { $0 } }
            parameters = [
                .init(key: "AccountBalance", value: .string(accounts.balanceString)),
                .init(key: "BOCompletedTime", value: .string(time.timestamp)),
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
            body, initiatorKey: "Initiator", commands: ["TransactionStatusQuery"], services: services
        )
        let receipt = body.text("TransactionID")
        let original = body.text("OriginalConversationID")
        guard receipt != nil || original != nil else { throw .invalid("TransactionID") }
        guard FieldRules.isDigits(body.text("PartyA") ?? "") else { throw .invalid("PartyA") }
        guard FieldRules.isDigits(body.text("IdentifierType") ?? "") else { throw .invalid("IdentifierType") }
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
            reference: OneOrMany(single: KeyedParameter(key: "Occasion", value: common.occasion.map { .string($0) }))
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
            .init(key: "DebitPartyName", value: .string(record.debitPartyName)),
            .init(key: "CreditPartyName", value: .string(record.creditPartyName)),
            .init(key: "OriginatorConversationID", value: .string(record.originatorConversationID)),
            .init(key: "InitiatedTime", value: completed),
            .init(key: "DebitAccountType", value: .string("MMF Account For Customer")),
            .init(key: "DebitPartyCharges", value: nil),
            .init(key: "TransactionReason", value: nil),
            .init(key: "ReasonType", value: .string(reasonType)),
            .init(key: "TransactionStatus", value: .string(record.reversed ? "Reversed" : "Completed")),
            .init(key: "FinalisedTime", value: completed),
            .init(key: "Amount", value: ResultBuilder.number(record.amount)),
            .init(key: "ConversationID", value: .string(record.conversationID)),
            .init(key: "ReceiptNo", value: .string(record.receipt)),
        ]
    }
}
