import Foundation
import PesaCore
import Testing

@testable import PesaEngine

/// What a person needs after the money moved: the receipt of a success settled by query, the amount a
/// partial reversal gave back, a reversal's first answer on retry, when a waiting payment is looked at next,
/// and every C2B confirmation recorded or shown.
@Suite struct ReceiptAndReversalTests {
    /// A push of `amount` to a success number, settled by its callback; its receipt.
    static func paidPush(_ harness: PaymentsHarness, amount: Int64) async throws -> (Payment, String) {
        let push = try await harness.push("254708374149", amount: amount)
        _ = try await harness.deliverCallbacks(count: 1)
        let paid = try await harness.payment(push.payment.id)
        return (paid, try #require(paid.mpesaReceipt))
    }

    @Test func aReversalRetriedWithItsKeyGetsItsFirstAnswerBeforeAndAfterItSettled() async throws {
        try await PaymentsHarness.run { harness in
            let (paid, receipt) = try await Self.paidPush(harness, amount: 300)
            let key = IdempotencyInput(key: "refund-7", requestHash: String(repeating: "b", count: 64))
            func reverse() async throws -> PaymentAnswer {
                try await harness.gateway.reversal(
                    ReversalParameters(mpesaReceipt: receipt, amount: 300, remarks: "Refund"),
                    in: harness.organization, idempotency: key, by: harness.admin)
            }
            // Its preview checks it as the reversal would, and sends nothing.
            let preview = try await harness.gateway.previewReversal(
                ReversalParameters(mpesaReceipt: receipt, amount: 300, remarks: "Refund"), in: harness.organization,
                by: harness.admin)
            #expect(preview.amount == Amount(shillings: 300))
            #expect(preview.receipt == receipt)
            #expect(preview.original?.id == paid.id)
            #expect(preview.environment == "sandbox")
            #expect(try await harness.payment(paid.id).status == .succeeded)
            let first = try await reverse()
            #expect(!first.isReplay)
            let whilePending = try await reverse()
            #expect(whilePending.isReplay)
            #expect(whilePending.payment.id == first.payment.id)
            #expect(try await harness.deliverCallbacks(.reversalResult, count: 1) == [.accepted])
            let afterwards = try await reverse()
            #expect(afterwards.isReplay)
            #expect(afterwards.payment.status == .succeeded)
            #expect(try await harness.payment(paid.id).status == .reversed)
            // Another body with the same key is still refused, as a key reused, not as the reversed payment.
            let reused = await #expect(throws: EngineError.self) {
                try await harness.gateway.reversal(
                    ReversalParameters(mpesaReceipt: receipt, amount: 300, remarks: "Refund"), in: harness.organization,
                    idempotency: IdempotencyInput(key: "refund-7", requestHash: String(repeating: "c", count: 64)),
                    by: harness.admin)
            }
            #expect(reused?.code == .idempotencyKeyReused)
        }
    }

    @Test func aPartialReversalShowsTheAmountGivenBackOnBothPayments() async throws {
        try await PaymentsHarness.run { harness in
            let (paid, receipt) = try await Self.paidPush(harness, amount: 1_001)
            let reversal = try await harness.gateway.reversal(
                ReversalParameters(
                    mpesaReceipt: nil, amount: 1, remarks: "Partial refund", paymentID: paid.id.rawValue),
                in: harness.organization, idempotency: nil, by: harness.admin)
            #expect(reversal.payment.reversedReceipt == receipt)
            #expect(try await harness.deliverCallbacks(.reversalResult, count: 1) == [.accepted])
            let original = try await harness.payment(paid.id)
            #expect(original.status == .reversed)
            #expect(original.amountReversed == Amount(shillings: 1))
            #expect(try await harness.payment(reversal.payment.id).amountReversed == Amount(shillings: 1))
        }
    }

    @Test func aReversalOfExactlyTheAmountPassesAndOneShillingMoreIsRefused() async throws {
        try await PaymentsHarness.run { harness in
            let (_, receipt) = try await Self.paidPush(harness, amount: 250)
            let over = await #expect(throws: EngineError.self) {
                try await harness.gateway.reversal(
                    ReversalParameters(mpesaReceipt: receipt, amount: 251, remarks: "Refund"),
                    in: harness.organization, idempotency: nil, by: harness.admin)
            }
            #expect(over?.code == .invalidField)
            #expect(over?.param == "amount")
            let exact = try await harness.gateway.reversal(
                ReversalParameters(mpesaReceipt: receipt, amount: 250, remarks: "Refund"),
                in: harness.organization, idempotency: nil, by: harness.admin)
            #expect(exact.payment.amount == Amount(shillings: 250))
        }
    }

    @Test func aSuccessSettledByQueryLearnsItsReceiptFromATransactionStatusLookup() async throws {
        try await PaymentsHarness.run(reconcileAfterMs: 0) { harness in
            let push = try await harness.push("254700000009", amount: 10)  // its callback is lost
            var settled = push.payment
            let deadline = ContinuousClock.now + .seconds(10)
            while settled.status == .pending && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                await harness.gateway.reconcile(harness.organization)
                settled = try await harness.payment(push.payment.id)
            }
            #expect(settled.status == .succeeded)
            #expect(settled.mpesaReceipt == nil)
            #expect(settled.receiptPending)
            #expect(harness.gateway.payments.reconciliation(of: settled)?.reason == "receipt_pending")
            // Meanwhile it cannot be reversed: there is no receipt to reverse.
            let refused = await #expect(throws: EngineError.self) {
                try await harness.gateway.reversal(
                    ReversalParameters(
                        mpesaReceipt: nil, amount: 10, remarks: "Refund", paymentID: push.payment.id.rawValue),
                    in: harness.organization, idempotency: nil, by: harness.admin)
            }
            #expect(refused?.code == .receiptPending)
            // The lookup went out when the query settled it; its answer brings the receipt.
            _ = try await harness.deliverCallbacks(.statusResult, count: 1)
            let learned = try await harness.payment(push.payment.id)
            #expect(learned.status == .succeeded)
            #expect(learned.receiptPending == false)
            let receipt = try #require(learned.mpesaReceipt)
            #expect(harness.gateway.payments.reconciliation(of: learned) == nil)
            let byReceipt = try await harness.gateway.engine(harness.organization).read { state in
                state.payments.row(forReceipt: receipt).map { state.payments.id(at: $0) }
            }
            #expect(byReceipt == push.payment.id)
        }
    }

    @Test func aPushWhoseAnswerWasLostIsDueExactlyWhenItsWaitEnds() {
        let settings = PaymentSettings(
            reconcileAfterMs: 120_000, reconcileAttemptsMax: 6, lostPushAnswerWaitMs: 600_000)
        // With the back-off alone the look after 480 s would be at 960 s; the wait ends at 600 s.
        #expect(
            settings.nextReconcileAtMs(createdAtMs: 0, attempts: 2, awaitsCheckoutID: true, awaitsReceipt: false)
                == 480_000)
        #expect(
            settings.nextReconcileAtMs(createdAtMs: 0, attempts: 3, awaitsCheckoutID: true, awaitsReceipt: false)
                == 600_000)
        #expect(
            settings.nextReconcileAtMs(createdAtMs: 0, attempts: 3, awaitsCheckoutID: false, awaitsReceipt: false)
                == 960_000)
        // Receipt lookups stop after their own allowance.
        let last = 6 + Limits.receiptLookupAttemptsMax
        #expect(
            settings.nextReconcileAtMs(createdAtMs: 0, attempts: last - 1, awaitsCheckoutID: false, awaitsReceipt: true)
                != nil)
        #expect(
            settings.nextReconcileAtMs(createdAtMs: 0, attempts: last, awaitsCheckoutID: false, awaitsReceipt: true)
                == nil)
        var payment = Payment(
            id: PaymentID(randomBytes: Array(repeating: 3, count: 16)), type: .stkPush, status: .pending,
            amount: Amount(shillings: 10), phone: "254700000500", createdAtMs: 1_000)
        #expect(
            settings.reconciliation(of: payment)
                == ReconciliationView(attempts: 0, nextAtMs: 121_000, reason: "answer_lost"))
        payment.checkoutRequestID = "ws_CO_1"
        #expect(settings.reconciliation(of: payment)?.reason == "awaiting_callback")
        payment.status = .unknown
        payment.resultCode = AttentionReason.lostAnswer.resultCode
        #expect(
            settings.reconciliation(of: payment)
                == ReconciliationView(attempts: 0, nextAtMs: nil, reason: "lost_answer"))
    }

    /// Receipt lookups are for recent successes only: an upgrade finds older receipt-less successes, and asking
    /// Daraja about all of them at once would flood it.
    @Test func onlyRecentSuccessesHaveTheirReceiptLookedUp() throws {
        var state = TenantState()
        let id = PaymentID(randomBytes: Array(repeating: 4, count: 16))
        let events: [TenantEvent] = [
            .stkPushRequested(.init(
                paymentID: id, amount: Amount(shillings: 10), phone: try MSISDN("254708374149"), accountReference: "A",
                description: "D", transactionType: .paybill, idempotencyKey: nil, requestHash: nil)),
            .paymentAccepted(.init(paymentID: id, merchantRequestID: "m", checkoutRequestID: "ws_CO_1")),
            .paymentSettled(.init(paymentID: id, resultCode: ResultCode(0), resultDesc: "ok", source: .query)),
        ]
        for (index, event) in events.enumerated() { try state.apply(event, seq: UInt64(index + 1), atMs: 0) }
        #expect(state.payment(id: id)?.receiptPending == true)
        let settings = PaymentSettings(reconcileAfterMs: 1_000, reconcileAttemptsMax: 6)
        let day: Int64 = 24 * 60 * 60 * 1000
        #expect(Gateway.duePayments(state, nowMs: day, settings: settings).map(\.id) == [id])
        #expect(Gateway.duePayments(state, nowMs: 8 * day, settings: settings).isEmpty)
    }

    @Test func aPushDarajaFailedOnBecomesUnknownAtTheEndOfItsWaitNotAtTheNextBackOffTick() async throws {
        try await PaymentsHarness.run(reconcileAfterMs: 60_000, lostPushAnswerWaitMs: 100) { harness in
            await #expect(throws: EngineError.self) { _ = try await harness.push("254700000500") }
            let waiting = try await harness.gateway.engine(harness.organization).read { state in
                state.payments.list(PaymentFilter(status: .pending)).payments
            }
            let payment = try #require(waiting.first)
            #expect(harness.gateway.payments.reconciliation(of: payment)?.nextAtMs == payment.createdAtMs + 100)
            try await Task.sleep(for: .milliseconds(150))
            await harness.gateway.reconcile(harness.organization)
            let flagged = try await harness.payment(payment.id)
            #expect(flagged.status == .unknown)
            #expect(flagged.attentionReason == .lostAnswer)
        }
    }

    @Test func c2bReceiptsCompareWithoutCaseAndAmountsWithSeparatorsAreRead() async throws {
        try await PaymentsHarness.run { harness in
            let token = try await harness.gateway.organization(harness.organization, by: harness.admin).openedToken
            func confirm(_ transID: String, _ amount: String) async throws -> CallbackAnswer {
                let body =
                    #"{"TransactionType":"Pay Bill","TransID":"\#(transID)","TransTime":"20261128120000","#
                        + #""TransAmount":"\#(amount)","BusinessShortCode":"174379","BillRefNumber":"INV-9","#
                        + #""MSISDN":"254708374149"}"#
                return try await harness.gateway.receiveCallback(
                    slug: harness.slug, token: token, kind: .c2bConfirmation, body: Array(body.utf8))
            }
            #expect(try await confirm("SKR7C2B101", "1,500.00") == .accepted)
            #expect(try await confirm("skr7c2b101", "1,500.00") == .accepted)
            #expect(try await confirm("SKR7C2B102", "2 000") == .accepted)
            #expect(try await confirm("SKR7C2B103", "1,50.00") != .accepted)
            let payments = try await harness.gateway.engine(harness.organization).read { state in
                state.payments.list(PaymentFilter(type: .c2b)).payments
            }
            #expect(payments.count == 2)
            #expect(Set(payments.map(\.amount)) == [Amount(shillings: 1_500), Amount(shillings: 2_000)])
            let unmatched = try await harness.gateway.unmatchedCallbacks(
                in: harness.organization, after: 0, limit: 10, disposition: .malformed, by: harness.admin)
            #expect(unmatched.callbacks.count == 1)
            #expect(unmatched.callbacks.first?.body.contains("SKR7C2B103") == true)
        }
    }

    @Test func c2bAmountsAreReadWithThousandsSeparatorsOnly() {
        #expect(CallbackReading.c2bAmount("1,234,567.89") == Amount(minorUnits: 123_456_789))
        #expect(CallbackReading.c2bAmount(" 1 500 ") == Amount(shillings: 1_500))
        #expect(CallbackReading.c2bAmount("10") == Amount(shillings: 10))
        for bad in ["1,50", "12,3456", ",100", "1.2.3", "ten", ""] {
            #expect(CallbackReading.c2bAmount(bad) == nil, "\(bad)")
        }
    }
}
