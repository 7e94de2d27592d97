import DarajaWire
import Foundation
import PesaCore

/// What a Daraja callback body says, in the domain's words. Pure: it reads JSON, nothing else.
enum CallbackReading: Sendable {
    /// A result for the payment with this Daraja id (CheckoutRequestID or ConversationID).
    case result(PaymentResult)
    /// A C2B confirmation: money received.
    case c2bConfirmation(receipt: String, amount: Amount, phone: String, reference: String, atMs: Int64?)
    /// A C2B validation request (answered, changes nothing).
    case c2bValidation(reference: String)
    /// A queue timeout for a payout or reversal: its outcome is unknown until queried.
    case timeout(darajaID: String, originatorID: String)
    /// The result (or queue timeout) of a balance or transaction-status query.
    case queryResult(QueryResult)
    /// Not a body of this kind.
    case malformed(String)

    struct PaymentResult: Sendable {
        /// CheckoutRequestID (STK) or ConversationID (B2C, reversal).
        var darajaID: String
        var byCheckoutID: Bool
        /// B2C and reversal: the `OriginatorConversationID` (for a v3 payout, the payment's own id).
        var originatorID: String?
        var code: ResultCode
        var desc: String
        var receipt: String?
        var atMs: Int64?
        /// STK only: the amount and phone a success's metadata gives (to find a push whose answer was lost).
        var shillings: Int64? = nil
        var phone: String? = nil
    }

    struct QueryResult: Sendable {
        var conversationID: String
        var code: ResultCode
        var desc: String
        /// `ResultParameters`, key → text.
        var parameters: [String: String]
    }

    /// Whether this result, coming after `earlier` for the same request, is the one to keep: a query's real
    /// result after a queue timeout, a success with a receipt after a failure (the rules the state applies
    /// once the request's answer is journaled).
    func outranks(_ earlier: CallbackReading) -> Bool {
        switch (earlier, self) {
        case (.queryResult(let old), .queryResult(let new)):
            return old.code == .queueTimeout && new.code != .queueTimeout
        case (.result(let old), .result(let new)):
            return old.code.paymentStatus != .succeeded && new.code.paymentStatus == .succeeded
                && !(new.receipt ?? "").isEmpty
        default:
            return false
        }
    }

    static func read(_ body: [UInt8], kind: CallbackKind) -> CallbackReading {
        let data = Data(body)
        let decoder = JSONDecoder()
        switch kind {
        case .stk:
            guard let envelope = try? decoder.decode(STKCallbackEnvelope.self, from: data) else {
                return .malformed("not an STK callback")
            }
            let callback = envelope.callback
            return .result(PaymentResult(
                darajaID: callback.checkoutRequestID, byCheckoutID: true, originatorID: nil,
                code: ResultCode(callback.resultCode.text), desc: callback.resultDesc, receipt: callback.receiptNumber,
                atMs: callback.transactionDate.flatMap(kenyaMs), shillings: callback.amount, phone: callback.phoneNumber))
        case .c2bConfirmation, .c2bValidation:
            guard let transaction = try? decoder.decode(C2BTransaction.self, from: data) else {
                return .malformed("not a C2B transaction")
            }
            if kind == .c2bValidation { return .c2bValidation(reference: transaction.billRefNumber) }
            // Cents are kept as they come: money that moved is recorded, whatever its shape.
            guard let amount = Amount(decimalText: transaction.transAmount.text), amount.minorUnits > 0,
                !transaction.transID.isEmpty
            else { return .malformed("C2B confirmation without a positive amount or TransID") }
            return .c2bConfirmation(
                receipt: transaction.transID, amount: amount, phone: transaction.msisdn,
                reference: transaction.billRefNumber, atMs: kenyaMs(transaction.transTime))
        case .b2cResult, .reversalResult, .b2cTimeout, .reversalTimeout, .balanceResult, .balanceTimeout,
            .statusResult, .statusTimeout:
            guard let envelope = try? decoder.decode(ResultEnvelope.self, from: data) else {
                return .malformed("not a result envelope")
            }
            return readResult(envelope.result, kind: kind)
        }
    }

    private static func readResult(_ result: InitiatorResult, kind: CallbackKind) -> CallbackReading {
        let originator = result.originatorConversationID.isEmpty ? nil : result.originatorConversationID
        switch kind {
        case .b2cTimeout, .reversalTimeout:
            return .timeout(darajaID: result.conversationID, originatorID: result.originatorConversationID)
        case .balanceResult, .statusResult, .balanceTimeout, .statusTimeout:
            guard !kind.isQueueTimeout else {
                return .queryResult(QueryResult(
                    conversationID: result.conversationID, code: .queueTimeout,
                    desc: "Daraja's queue timed out before the query ran", parameters: [:]))
            }
            var parameters: [String: String] = [:]
            for parameter in result.parameters { parameters[parameter.key] = parameter.value?.text ?? "" }
            return .queryResult(QueryResult(
                conversationID: result.conversationID, code: ResultCode(result.resultCode.text), desc: result.resultDesc,
                parameters: parameters))
        default:
            let receipt = result.transactionID.isEmpty ? nil : result.transactionID
            return .result(PaymentResult(
                darajaID: result.conversationID, byCheckoutID: false, originatorID: originator,
                code: ResultCode(result.resultCode.text), desc: result.resultDesc, receipt: receipt, atMs: nil))
        }
    }

    static func kenyaMs(_ text: String) -> Int64? {
        guard let date = try? KenyaTime.date(fromTimestamp: text) else { return nil }
        return Int64(date.timeIntervalSince1970 * 1000)
    }
}
