extension TenantState {
    /// A new payment row from a request (or a C2B confirmation, which arrives settled).
    mutating func createPayment(_ event: TenantEvent, atMs: Int64) {
        var payment: Payment
        switch event {
        case .stkPushRequested(let data):
            payment = Payment(id: data.paymentID, type: .stkPush, status: .pending, amount: data.amount,
                              phone: data.phone.digits, createdAtMs: atMs)
            payment.accountReference = data.accountReference
            payment.description = data.description
            payment.transactionType = data.transactionType
            payment.idempotencyKey = data.idempotencyKey
            payment.requestHash = data.requestHash
            payment.shortCodeID = data.shortCodeID ?? defaultShortCode(for: .stkPush)?.id
        case .b2cRequested(let data):
            payment = Payment(id: data.paymentID, type: .b2c, status: .pending, amount: data.amount,
                              phone: data.phone.digits, createdAtMs: atMs)
            payment.command = data.command
            payment.description = data.remarks
            payment.batchID = data.batchID?.rawValue
            payment.idempotencyKey = data.idempotencyKey
            payment.requestHash = data.requestHash
            payment.shortCodeID = data.shortCodeID ?? defaultShortCode(for: .b2c)?.id
        case .reversalRequested(let data):
            let phone = data.originalPaymentID.flatMap { payments[$0]?.phone } ?? ""
            payment = Payment(id: data.paymentID, type: .reversal, status: .pending, amount: data.amount,
                              phone: phone, createdAtMs: atMs)
            payment.description = data.remarks
            payment.originalPaymentID = data.originalPaymentID?.rawValue
            payment.reversedReceipt = data.mpesaReceipt
            payment.idempotencyKey = data.idempotencyKey
            payment.requestHash = data.requestHash
            payment.shortCodeID =
                data.shortCodeID ?? data.originalPaymentID.flatMap { payments[$0]?.shortCodeID }
                ?? defaultShortCode(for: .reversal)?.id
        case .c2bReceived(let data):
            payment = Payment(id: data.paymentID, type: .c2b, status: .succeeded, amount: data.amount,
                              phone: data.phone, createdAtMs: data.transactionAtMs ?? atMs)
            payment.updatedAtMs = atMs
            payment.mpesaReceipt = data.mpesaReceipt
            payment.accountReference = data.accountReference
            payment.resultCode = ResultCode(0)
            payment.shortCodeID = data.shortCodeID ?? defaultShortCode(for: .c2b)?.id
        default:
            preconditionFailure("not a payment creation event")
        }
        payment.shortCode = payment.shortCodeID.flatMap { shortCodes[$0]?.shortCode }
        if payment.type == .stkPush || payment.type == .b2c {
            transactionsByMonth[KenyaTime.monthKey(ms: payment.createdAtMs), default: 0] += 1
        }
        payments.append(payment)
    }

    mutating func reducePaymentChange(_ event: TenantEvent, atMs: Int64) {
        switch event {
        case .paymentAccepted(let data):
            payments.setUpstreamIDs(
                at: row(data.paymentID), merchantRequestID: data.merchantRequestID,
                checkoutRequestID: data.checkoutRequestID, conversationID: data.conversationID,
                originatorConversationID: data.originatorConversationID, updatedAtMs: atMs)
        case .paymentUpstreamFailed(let data):
            let settled = TenantEvent.PaymentSettled(
                paymentID: data.paymentID, status: data.status, resultCode: ResultCode(data.errorCode),
                resultDesc: data.errorMessage, source: .operator)
            if data.status == .failed { settle(settled, atMs: atMs) }
        case .callbackReceived(let data):
            counters.callbacks += 1
            switch data.disposition {
            case .orphan:
                counters.orphanCallbacks += 1
                unmatchedCallbacks.record(atMs: atMs)
            case .malformed:
                counters.malformedCallbacks += 1
                unmatchedCallbacks.record(atMs: atMs)
            case .matched, .informational: break
            }
            if let id = data.paymentID { payments.recordCallback(at: row(id)) }
        case .reconciliationAttempted(let data):
            payments.recordReconcileAttempt(at: row(data.paymentID), attempt: data.attempt)
        default:
            preconditionFailure("not a payment change event")
        }
    }

    /// Applies a result through the state machine. A final payment does not change (a late or duplicate
    /// result is only counted); a reversal that succeeds turns its original payment `reversed`.
    mutating func settle(_ data: TenantEvent.PaymentSettled, atMs: Int64) {
        guard let row = payments.row(for: data.paymentID) else { preconditionFailure("validated: payment exists") }
        let current = payments.status(at: row)
        switch current.transition(to: data.status, receipt: data.mpesaReceipt) {
        case .duplicate:
            counters.duplicateResults += 1
            // A success settled without its receipt (by an STK query, which carries none) learns it from the
            // result that brings it later; nothing else changes.
            if data.status == .succeeded, let receipt = data.mpesaReceipt, !receipt.isEmpty,
                payments.text(at: row, .mpesaReceipt).isEmpty
            {
                payments.replaceTexts(at: row, [(.mpesaReceipt, receipt)])
            }
            return
        case .late:
            counters.lateResults += 1
            return
        case .illegal:
            preconditionFailure("validated: transition is legal")
        case .changes:
            break
        }
        payments.settle(
            at: row, status: data.status, resultCode: data.resultCode, resultDesc: data.resultDesc,
            mpesaReceipt: data.mpesaReceipt, updatedAtMs: atMs)
        switch payments.type(at: row) {
        case .reversal where data.status == .succeeded:
            guard let id = try? PaymentID(parsing: payments.text(at: row, .originalPaymentID)),
                let originalRow = payments.row(for: id),
                payments.status(at: originalRow).transition(to: .reversed) == .changes
            else { return }
            payments.setStatus(at: originalRow, .reversed, updatedAtMs: atMs)
        default:
            break
        }
    }

    private func row(_ id: PaymentID) -> Int {
        guard let row = payments.row(for: id) else { preconditionFailure("validated: payment exists") }
        return row
    }
}
