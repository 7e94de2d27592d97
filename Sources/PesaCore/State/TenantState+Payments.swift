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
        case .b2cRequested(let data):
            payment = Payment(id: data.paymentID, type: .b2c, status: .pending, amount: data.amount,
                              phone: data.phone.digits, createdAtMs: atMs)
            payment.command = data.command
            payment.description = data.remarks
            payment.batchID = data.batchID?.rawValue
            payment.idempotencyKey = data.idempotencyKey
            payment.requestHash = data.requestHash
            if let batch = data.batchID { batches[batch]?.statusCounts[Int(PaymentTable.statusCode(.pending))] += 1 }
        case .reversalRequested(let data):
            let phone = data.originalPaymentID.flatMap { payments[$0]?.phone } ?? ""
            payment = Payment(id: data.paymentID, type: .reversal, status: .pending, amount: data.amount,
                              phone: phone, createdAtMs: atMs)
            payment.description = data.remarks
            payment.originalPaymentID = data.originalPaymentID?.rawValue
            payment.reversedReceipt = data.mpesaReceipt
            payment.idempotencyKey = data.idempotencyKey
            payment.requestHash = data.requestHash
        case .c2bReceived(let data):
            payment = Payment(id: data.paymentID, type: .c2b, status: .succeeded, amount: data.amount,
                              phone: data.phone, createdAtMs: data.transactionAtMs ?? atMs)
            payment.updatedAtMs = atMs
            payment.mpesaReceipt = data.mpesaReceipt
            payment.accountReference = data.accountReference
            payment.resultCode = ResultCode(0)
        default:
            preconditionFailure("not a payment creation event")
        }
        payments.append(payment)
    }

    mutating func reducePaymentChange(_ event: TenantEvent, atMs: Int64) {
        switch event {
        case .paymentAccepted(let data):
            updatePayment(data.paymentID) { payment in
                payment.merchantRequestID = data.merchantRequestID ?? payment.merchantRequestID
                payment.checkoutRequestID = data.checkoutRequestID ?? payment.checkoutRequestID
                payment.conversationID = data.conversationID ?? payment.conversationID
                payment.originatorConversationID = data.originatorConversationID ?? payment.originatorConversationID
                payment.updatedAtMs = atMs
            }
        case .paymentUpstreamFailed(let data):
            let settled = TenantEvent.PaymentSettled(
                paymentID: data.paymentID, status: data.status, resultCode: ResultCode(data.errorCode),
                resultDesc: data.errorMessage, source: .operator)
            if data.status == .failed { settle(settled, atMs: atMs) }
        case .callbackReceived(let data):
            counters.callbacks += 1
            switch data.disposition {
            case .orphan: counters.orphanCallbacks += 1
            case .malformed: counters.malformedCallbacks += 1
            case .matched, .informational: break
            }
            if let id = data.paymentID { updatePayment(id) { $0.callbackCount += 1 } }
        case .reconciliationAttempted(let data):
            updatePayment(data.paymentID) { payment in
                payment.reconcileAttempts = max(payment.reconcileAttempts, Int(clamping: data.attempt))
            }
        default:
            preconditionFailure("not a payment change event")
        }
    }

    /// Applies a result through the state machine. A final payment does not change (a late or duplicate
    /// result is only counted); a reversal that succeeds turns its original payment `reversed`.
    mutating func settle(_ data: TenantEvent.PaymentSettled, atMs: Int64) {
        guard let row = payments.row(for: data.paymentID) else { preconditionFailure("validated: payment exists") }
        let current = payments.status(at: row)
        switch current.transition(to: data.status) {
        case .duplicate:
            counters.duplicateResults += 1
            return
        case .late:
            counters.lateResults += 1
            return
        case .illegal:
            preconditionFailure("validated: transition is legal")
        case .changes:
            break
        }
        var batch: String?
        var original: String?
        payments.update(at: row) { payment in
            payment.status = data.status
            payment.resultCode = data.resultCode
            payment.resultDesc = data.resultDesc
            payment.mpesaReceipt = data.mpesaReceipt ?? payment.mpesaReceipt
            payment.updatedAtMs = atMs
            batch = payment.batchID
            original = payment.type == .reversal && data.status == .succeeded ? payment.originalPaymentID : nil
        }
        if let batch, let id = try? BatchID(parsing: batch) {
            batches[id]?.statusCounts[Int(PaymentTable.statusCode(current))] -= 1
            batches[id]?.statusCounts[Int(PaymentTable.statusCode(data.status))] += 1
        }
        if let original, let id = try? PaymentID(parsing: original), let originalRow = payments.row(for: id),
            payments.status(at: originalRow).transition(to: .reversed) == .changes {
            payments.update(at: originalRow) { payment in
                payment.status = .reversed
                payment.updatedAtMs = atMs
            }
        }
    }

    private mutating func updatePayment(_ id: PaymentID, _ change: (inout Payment) -> Void) {
        guard let row = payments.row(for: id) else { preconditionFailure("validated: payment exists") }
        payments.update(at: row, change)
    }
}
