import DarajaClient
import PesaCore

extension Gateway {
    /// What a query's result journals: the result itself; for a balance, the new balances; for a
    /// transaction status about a pending (or unknown) payment, the payment's settlement when the answer
    /// is final. Nothing when the query already has its result (a duplicate callback), unless that was only a
    /// queue timeout: the real result that comes after it is kept (and may settle the payment).
    static func queryResultEvents(
        _ result: CallbackReading.QueryResult, queryID: QueryID, kind: QueryKind, paymentID: PaymentID?,
        shortCodeID: ShortCodeID?, state: TenantState, nowMs: Int64, notReceivedAfterMs: Int64
    ) -> [TenantEvent] {
        if let existing = state.query(id: queryID), existing.status != .pending,
            existing.resultCode != .queueTimeout || result.code == .queueTimeout
        {
            return []
        }
        var events: [TenantEvent] = [
            .queryCompleted(.init(
                queryID: queryID, resultCode: result.code, resultDesc: result.desc, parameters: result.parameters))
        ]
        // 2032: "The transaction receipt number does not exist."
        if kind == .transactionStatus, result.code.numericValue == 2032, let paymentID {
            let askedAtMs = state.query(id: queryID)?.createdAtMs ?? nowMs
            events += notReceivedEvents(paymentID, askedAtMs: askedAtMs, afterMs: notReceivedAfterMs, state: state)
        }
        guard result.code.numericValue == 0 else { return events }
        switch kind {
        case .balance:
            let accounts = BalanceText.accounts(result.parameters["AccountBalance"] ?? "")
            if !accounts.isEmpty {
                let asOf = result.parameters["BOCompletedTime"].flatMap(CallbackReading.kenyaMs) ?? nowMs
                var updated = TenantEvent.BalanceUpdated(accounts: accounts, asOfMs: asOf)
                updated.shortCodeID = shortCodeID
                events.append(.balanceUpdated(updated))
            }
        case .transactionStatus:
            if let paymentID, let payment = state.payment(id: paymentID) {
                events += statusEvents(result.parameters, of: payment, state: state)
            }
        }
        return events
    }

    /// A batch row's payout that Daraja never acknowledged, about which a status query asked `afterMs` or more after
    /// it went out found no trace: the request never reached Daraja, and the row is marked to go out again
    /// under the same id (`BatchSender`). A single payout is left to reconciliation: its caller, who got no
    /// answer, may have sent it again already.
    static func notReceivedEvents(_ paymentID: PaymentID, askedAtMs: Int64, afterMs: Int64, state: TenantState)
        -> [TenantEvent]
    {
        guard let payment = state.payment(id: paymentID), payment.type == .b2c, payment.status == .pending,
            payment.conversationID == nil, payment.mpesaReceipt == nil,
            let (batchID, index) = state.batchRow(of: paymentID), let batch = state.batches[batchID],
            batch.mayBeSent, batch.items.indices.contains(index)
        else { return [] }
        let item = batch.items[index]
        guard item.paymentIDs.last == paymentID, item.state == .sending, item.notReceivedAtMs == nil,
            askedAtMs - (item.resentAtMs ?? payment.createdAtMs) >= afterMs
        else { return [] }
        return [.batchChanged(.init(
            batchID: batchID, change: .itemNotReceived, actor: "system",
            reason: "a transaction status query found no trace of payout \(paymentID), which Daraja never "
                + "acknowledged: it goes out again under the same id", item: Int64(index)))]
    }

    /// What a transaction-status answer about `payment` journals: its settlement; the receipt of a success
    /// settled by STK query (when the answer shows the payment's amount and phone); the payment turned `unknown`
    /// when the answer's receipt is another payment's; or nothing.
    static func statusEvents(_ parameters: [String: String], of payment: Payment, state: TenantState) -> [TenantEvent] {
        let status = (parameters["TransactionStatus"] ?? "").trimmingWhitespace().lowercased()
        let receipt = parameters["ReceiptNo"].flatMap(CallbackReading.normalizedReceipt)
        if status == "completed", payment.type != .reversal, let receipt,
            case .heldBy(let holder)? = receiptConflict(receipt, for: payment, in: state)
        {
            return flag(
                payment, .duplicateReceipt,
                "the transaction status names receipt \(receipt), which payment \(holder) holds",
                source: .query)
        }
        if status == "completed", payment.receiptPending, let receipt {
            guard answerProvesPayment(parameters, payment: payment, phoneRequired: false) else { return [] }
            return [.paymentSettled(.init(
                paymentID: payment.id, status: .succeeded, resultCode: ResultCode(0),
                resultDesc: "Transaction status: \(parameters["TransactionStatus"] ?? status)", mpesaReceipt: receipt,
                source: .query))]
        }
        guard statusAnswerConcerns(parameters, payment: payment, state: state),
            let settled = statusSettlement(parameters, of: payment)
        else { return [] }
        return [settled]
    }

    /// Whether a transaction-status answer is about `payment`, so that it may settle it: the receipt it names
    /// is the payment's own, or, while the payment has none, no other payment's; and its amount, when it gives
    /// one, is the payment's. An answer about another transaction (a wrong receipt asked about with the
    /// payment's id) settles nothing: the query keeps the answer, and the payment stays for reconciliation.
    /// A reversal is asked about through the receipt it reverses, so only that receipt is compared.
    static func statusAnswerConcerns(_ parameters: [String: String], payment: Payment, state: TenantState) -> Bool {
        let receipt = parameters["ReceiptNo"].map { $0.trimmingWhitespace().uppercased() }
            .flatMap { $0.isEmpty ? nil : $0 }
        if payment.type == .reversal {
            // "Reversed" names the original, not which request reversed it: while another reversal of it is
            // under way or succeeded, the answer may be about that one, and this one settles from its own result
            // or not at all. One reconciliation gave up on does not count: two such would block each other, and
            // the refund would never be recorded; a second success is refused by `settlement` anyway.
            guard let original = payment.originalPaymentID.flatMap({ try? PaymentID(parsing: $0) }),
                state.payment(id: original)?.status != .reversed,
                !state.payments.hasReversal(
                    of: original, besides: payment.id, in: [.pending, .succeeded])
            else { return false }
            return receipt == nil || receipt == payment.reversedReceipt
        }
        if let receipt, receiptConflict(receipt, for: payment, in: state) != nil { return false }
        if let text = parameters["Amount"]?.trimmingWhitespace(), !text.isEmpty {
            guard let amount = Amount(decimalText: text), amount == payment.amount else { return false }
        }
        return true
    }

    /// Whether a `Completed` answer shows this payment's money moved, so that it may overturn a failure (a
    /// success whose callback was lost after a query said 1037): the receipt in it was chosen by whoever asked,
    /// so the answer must also name the payment's amount and its phone (`DebitPartyName`,
    /// "254712345678 - JANE WANJIRU"). A masked or missing phone proves nothing.
    /// With `phoneRequired` false (the receipt of a success already settled by the payment's own query), the
    /// amount must be there and the phone, when the answer names one in full, must be the payment's.
    static func answerProvesPayment(_ parameters: [String: String], payment: Payment, phoneRequired: Bool = true)
        -> Bool
    {
        guard let text = parameters["Amount"]?.trimmingWhitespace(), let amount = Amount(decimalText: text),
            amount == payment.amount
        else { return false }
        let digits = String((parameters["DebitPartyName"] ?? "").prefix { $0 != "-" }.filter(\.isNumber))
        guard phoneRequired || digits.count == 12 else { return true }
        return payment.phone.count >= 9 && digits == payment.phone
    }

    /// A payment's settlement from a transaction-status answer (`TransactionStatus`), or nil when the answer
    /// does not settle it. A reversal is asked about through the receipt it reverses: `Reversed` means it
    /// succeeded. Anything unrecognised leaves the payment pending (reconciliation asks again, then gives up
    /// to `unknown`).
    static func statusSettlement(_ parameters: [String: String], of payment: Payment) -> TenantEvent? {
        let status = (parameters["TransactionStatus"] ?? "").trimmingWhitespace().lowercased()
        let receipt = parameters["ReceiptNo"].flatMap { $0.isEmpty ? nil : $0 }
        let outcome: (PaymentStatus, String?)?
        switch (payment.type, status) {
        case (.reversal, "reversed"): outcome = (.succeeded, nil)
        case (.reversal, _): outcome = nil
        case (_, "completed"), (_, "reversed"): outcome = (.succeeded, receipt)
        case (_, "failed"), (_, "cancelled"), (_, "declined"), (_, "expired"): outcome = (.failed, nil)
        default: outcome = nil
        }
        guard let (newStatus, receiptKept) = outcome,
            payment.status.transition(to: newStatus) == .changes
                || (status == "completed" && Self.answerProvesPayment(parameters, payment: payment)
                    && payment.status.transition(to: newStatus, receipt: receiptKept) == .changes)
        else { return nil }
        let code = newStatus == .succeeded ? ResultCode(0) : ResultCode("PESA_STATUS_\(status.uppercased())")
        return .paymentSettled(.init(
            paymentID: payment.id, status: newStatus, resultCode: code,
            resultDesc: "Transaction status: \(parameters["TransactionStatus"] ?? status)", mpesaReceipt: receiptKept,
            source: .query))
    }

    /// What the API answers when Daraja refused a request that moves no money (`what`: "the query", ...);
    /// nothing was journaled.
    static func requestFailure(_ error: DarajaError, what: String) -> EngineError {
        let (code, message) = (error.reportedCode, error.reportedMessage)
        switch error.code {
        case .unreachable, .transport, .outcomeUnknown:
            return EngineError(.upstreamUnavailable, "Daraja could not be reached for \(what) (\(code)); try again")
        case .authentication:
            return EngineError(
                .upstreamError,
                "Daraja refused the consumer key or secret of the short code this request used (\(code)): check them "
                    + "with POST /v1/short-codes/{id}/verify")
        case .rejected, .invalidResponse, .invalidCertificate, .invalidInput:
            return EngineError(.upstreamError, "Daraja refused \(what): \(code) \(message)")
        }
    }

    /// An M-Pesa receipt as the API takes it: 8 to 20 letters and digits, upper-cased.
    static func receipt(_ text: String, param: String = "mpesa_receipt") throws(EngineError) -> String {
        let trimmed = text.trimmingWhitespace().uppercased()
        guard (8...20).contains(trimmed.count),
            trimmed.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))
            })
        else {
            throw EngineError.invalid(param, "\(param) must be an M-Pesa receipt: 8 to 20 letters and digits")
        }
        return trimmed
    }

    /// The payment a request names by `mpesa_receipt`, `payment_id` or both, each checked; one of them is needed.
    static func receiptOrPaymentID(_ receipt: String?, _ paymentID: String?)
        throws(EngineError) -> (receipt: String?, paymentID: PaymentID?)
    {
        let named = try receipt.map { (text) throws(EngineError) in try Self.receipt(text) }
        let id = try paymentID.map { (text) throws(EngineError) -> PaymentID in
            guard let id = try? PaymentID(parsing: text) else {
                throw EngineError.invalid("payment_id", "payment_id is not a payment id")
            }
            return id
        }
        guard named != nil || id != nil else {
            throw EngineError.invalid("mpesa_receipt", "give mpesa_receipt or payment_id")
        }
        return (named, id)
    }
}

extension DarajaError {
    /// Daraja's own error code when it gave one, else ours (`upstream_rejected`, ...): what the API and the
    /// journal show.
    var reportedCode: String { darajaErrorCode ?? "upstream_\(code)" }
    /// Daraja's own error message when it gave one, else ours.
    var reportedMessage: String { darajaErrorMessage ?? message }
}
