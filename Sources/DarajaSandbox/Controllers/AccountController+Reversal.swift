import DarajaWire
import Foundation
import HTTPTypes
import Hummingbird

extension AccountController {
    enum ReversalVerdict: Sendable {
        case reversed(TransactionRecord, Accounts)
        case unknownReceipt
        case alreadyReversed
        case insufficientFunds
    }

    func reversal(_ request: Request) async throws(SandboxHTTPError) -> Response {
        _ = try RequestReader.authorize(request, family: .initiator, services: services)
        let body = try await RequestReader.body(request, services: services)
        let common = try InitiatorRequest(
            body, initiatorKey: .initiator, commands: ["TransactionReversal"], services: services)
        guard let receipt = body.text(.transactionID) else { throw .invalid(.transactionID) }
        guard let amount = FieldRules.wholeAmount(body.text(.amount), in: 1...999_999_999) else {
            throw .invalid(.amount)
        }
        guard let receiver = body.text(.receiverParty), FieldRules.isDigits(receiver) else {
            throw .invalid(.receiverParty)
        }
        guard FieldRules.isDigits(body.text(.recieverIdentifierType, .receiverIdentifierType) ?? "") else {
            throw .invalid(.recieverIdentifierType)
        }
        let (_, resultURL) = try common.urls(remarksRequired: true)
        let time = KenyaTime(Date())
        let ids = (originator: IDGenerator.requestID(), conversation: IDGenerator.conversationID(at: time))
        var code = "2001"
        var parameters: [KeyedParameter]?
        var transactionID = IDGenerator.failedReceipt(at: time)
        if common.credentialAccepted {
            switch reverse(receipt, amount: amount, time: time, ids: ids) {
            case .unknownReceipt: code = "R000002"
            case .alreadyReversed: code = "R000001"
            case .insufficientFunds: code = "1"
            case .reversed(let original, let accounts):
                code = "0"
                transactionID = IDGenerator.receipt(at: time)
                parameters = [
                    .init(.debitAccountBalance, .string(Accounts.line("Utility Account", accounts.workingCents))),
                    .init(.amount, ResultBuilder.number(amount)),
                    .init(.transCompletedTime, .integer(Int64(time.timestamp) ?? 0)),
                    .init(.originalTransactionID, .string(original.receipt)),
                    .init(.charge, .number(0)),
                    .init(.creditPartyPublicName, .string(original.debitPartyName)),
                    .init(.debitPartyPublicName, .string(original.creditPartyName)),
                ]
            }
        }
        let envelope = ResultBuilder.envelope(
            code: code, originatorConversationID: ids.originator, conversationID: ids.conversation,
            transactionID: transactionID, parameters: parameters,
            reference: ResultBuilder.queueTimeoutItem("reversalresults/v1/submit")
        )
        services.sender.schedule(envelope, to: resultURL)
        return ResultBuilder.acknowledgement(originatorConversationID: ids.originator, conversationID: ids.conversation)
    }

    /// Reverses a C2B/STK receipt: money goes back from the shortcode's working account.
    private func reverse(
        _ receipt: String, amount: Int64, time: KenyaTime, ids: (originator: String, conversation: String)
    ) -> ReversalVerdict {
        services.state.withLock { storage in
            guard var original = storage.transactionsByReceipt[receipt], original.kind == .stk || original.kind == .c2b
            else { return .unknownReceipt }
            guard !original.reversed else { return .alreadyReversed }
            let cents = min(amount, original.amount) * 100
            let accounts = storage.withAccounts(original.shortCode) { accounts -> Accounts? in
                guard accounts.workingCents >= cents else { return nil }
                accounts.workingCents -= cents
                return accounts
            }
            guard let accounts else { return .insufficientFunds }
            original.reversed = true
            storage.transactionsByReceipt[receipt] = original
            storage.receiptsByConversation[ids.originator] = receipt
            return .reversed(original, accounts)
        }
    }
}
