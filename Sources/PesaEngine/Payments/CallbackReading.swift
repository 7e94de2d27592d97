import DarajaWire
import Foundation
import PesaCore

/// What a Daraja callback body says, in the domain's words. Pure: it reads JSON, nothing else.
enum CallbackReading: Sendable {
    /// A result for the payment with this Daraja id (CheckoutRequestID or ConversationID).
    case result(darajaID: String, byCheckoutID: Bool, code: ResultCode, desc: String, receipt: String?, atMs: Int64?)
    /// A C2B confirmation: money received.
    case c2bConfirmation(receipt: String, amount: Int64, phone: String, reference: String, atMs: Int64?)
    /// A C2B validation request (answered, changes nothing).
    case c2bValidation(reference: String)
    /// A queue timeout for a request: its outcome is unknown until queried.
    case timeout(darajaID: String)
    /// A balance or status result: recorded, settles nothing here.
    case informational
    /// Not a body of this kind.
    case malformed(String)

    static func read(_ body: [UInt8], kind: CallbackKind) -> CallbackReading {
        let data = Data(body)
        let decoder = JSONDecoder()
        switch kind {
        case .stk:
            guard let envelope = try? decoder.decode(STKCallbackEnvelope.self, from: data) else {
                return .malformed("not an STK callback")
            }
            let callback = envelope.callback
            return .result(
                darajaID: callback.checkoutRequestID, byCheckoutID: true, code: ResultCode(callback.resultCode.text),
                desc: callback.resultDesc, receipt: callback.receiptNumber,
                atMs: callback.transactionDate.flatMap(kenyaMs))
        case .c2bConfirmation, .c2bValidation:
            guard let transaction = try? decoder.decode(C2BTransaction.self, from: data) else {
                return .malformed("not a C2B transaction")
            }
            if kind == .c2bValidation { return .c2bValidation(reference: transaction.billRefNumber) }
            guard let amount = Double(transaction.transAmount.text), amount > 0, amount == amount.rounded(),
                !transaction.transID.isEmpty
            else { return .malformed("C2B confirmation without a whole amount or TransID") }
            return .c2bConfirmation(
                receipt: transaction.transID, amount: Int64(amount), phone: transaction.msisdn,
                reference: transaction.billRefNumber, atMs: kenyaMs(transaction.transTime))
        case .b2cResult, .reversalResult:
            guard let envelope = try? decoder.decode(ResultEnvelope.self, from: data) else {
                return .malformed("not a result envelope")
            }
            let result = envelope.result
            let receipt = result.transactionID.isEmpty ? nil : result.transactionID
            return .result(
                darajaID: result.conversationID, byCheckoutID: false, code: ResultCode(result.resultCode.text),
                desc: result.resultDesc, receipt: receipt, atMs: nil)
        case .b2cTimeout, .reversalTimeout:
            guard let envelope = try? decoder.decode(ResultEnvelope.self, from: data) else {
                return .malformed("not a result envelope")
            }
            return .timeout(darajaID: envelope.result.conversationID)
        case .balanceResult, .balanceTimeout, .statusResult, .statusTimeout:
            guard (try? decoder.decode(ResultEnvelope.self, from: data)) != nil else {
                return .malformed("not a result envelope")
            }
            return .informational
        }
    }

    private static func kenyaMs(_ text: String) -> Int64? {
        guard let date = try? KenyaTime.date(fromTimestamp: text) else { return nil }
        return Int64(date.timeIntervalSince1970 * 1000)
    }
}
