import DarajaWire
import Foundation
import PesaCore

/// What a Daraja callback body says, in the domain's words. Pure: it reads JSON, nothing else.
enum CallbackReading: Sendable {
    /// A result for the payment with this Daraja id (CheckoutRequestID or ConversationID).
    case result(PaymentResult)
    /// A C2B confirmation: money received.
    case c2bConfirmation(
        receipt: String, amount: Amount, phone: String, reference: String, atMs: Int64?, shortCode: String)
    /// A C2B validation request (answered, changes nothing).
    case c2bValidation(reference: String, shortCode: String)
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
        /// Upper-cased: M-Pesa receipts compare without regard to case.
        var receipt: String?
        var atMs: Int64?
        /// STK only: the amount and phone a success's metadata gives (to find a push whose answer was lost, and
        /// to check that a success is the one asked for).
        var shillings: Int64? = nil
        var phone: String? = nil
        /// STK only: the MerchantRequestID, which must be the payment's too.
        var merchantRequestID: String? = nil
        /// B2C and reversal: the amount the result names (`TransactionAmount`, or `Amount`), when it names one.
        var amount: Amount? = nil
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
                code: ResultCode(callback.resultCode.text), desc: callback.resultDesc,
                receipt: callback.receiptNumber.flatMap(normalizedReceipt),
                atMs: callback.transactionDate.flatMap(kenyaMs), shillings: callback.amount,
                phone: callback.phoneNumber,
                merchantRequestID: callback.merchantRequestID))
        case .c2bConfirmation, .c2bValidation:
            guard let transaction = try? decoder.decode(C2BTransaction.self, from: data) else {
                return .malformed("not a C2B transaction")
            }
            let shortCode = transaction.businessShortCode.text.trimmingWhitespace()
            if kind == .c2bValidation {
                return .c2bValidation(reference: transaction.billRefNumber, shortCode: shortCode)
            }
            // Cents are kept as they come, and thousands separators and spaces read past: money that moved is
            // recorded, whatever its shape. What still cannot be read is kept raw as malformed (and counted).
            guard let amount = c2bAmount(transaction.transAmount.text), amount.minorUnits > 0,
                let receipt = normalizedReceipt(transaction.transID)
            else { return .malformed("C2B confirmation without a readable positive TransAmount or a TransID") }
            return .c2bConfirmation(
                receipt: receipt, amount: amount, phone: transaction.msisdn,
                reference: transaction.billRefNumber, atMs: kenyaMs(transaction.transTime), shortCode: shortCode)
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
                conversationID: result.conversationID, code: ResultCode(result.resultCode.text),
                desc: result.resultDesc,
                parameters: parameters))
        default:
            var amountText: String?
            for parameter in result.parameters where parameter.key == "TransactionAmount" || parameter.key == "Amount" {
                amountText = amountText ?? parameter.value?.text
            }
            return .result(PaymentResult(
                darajaID: result.conversationID, byCheckoutID: false, originatorID: originator,
                code: ResultCode(result.resultCode.text), desc: result.resultDesc,
                receipt: normalizedReceipt(result.transactionID), atMs: nil,
                amount: amountText.flatMap { Amount(decimalText: $0.trimmingWhitespace()) }))
        }
    }

    /// An M-Pesa receipt as the gateway keeps it: trimmed and upper-cased (receipts are upper-case letters and
    /// digits; a lower-cased copy names the same transaction). Nil when empty.
    static func normalizedReceipt(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace().uppercased()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A C2B `TransAmount`: `1500`, `1500.50`, and the same with thousands separators or spaces (`1,500.00`,
    /// `1 500`). Commas must group thousands; anything else is unreadable.
    static func c2bAmount(_ text: String) -> Amount? {
        let compact = text.filter { $0 != " " && $0 != "\u{00A0}" && $0 != "\t" }
        let parts = compact.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first else { return nil }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        if groups.count > 1 {
            guard let first = groups.first, (1...3).contains(first.count),
                groups.dropFirst().allSatisfy({ $0.count == 3 })
            else { return nil }
        }
        let plain = groups.joined() + (parts.count == 2 ? "." + parts[1] : "")
        return Amount(decimalText: plain)
    }

    static func kenyaMs(_ text: String) -> Int64? {
        guard let date = try? KenyaTime.date(fromTimestamp: text) else { return nil }
        return Int64(date.timeIntervalSince1970 * 1000)
    }
}
