import DarajaSandbox
import Foundation
import PesaCore
import PesaStore
import PesaTesting
import Testing

@testable import PesaEngine

/// A transaction-status query asked on a payment's behalf settles that payment only with an answer about it.
@Suite struct StatusAnswerTests {
    @Test func aReceiptGivenWithAPaymentIDMustBeThatPaymentsOwn() async throws {
        try await PaymentsHarness.run { harness in
            let paid = try await harness.push("254708374149", amount: 10)
            _ = try await harness.deliverCallbacks(count: 1)
            let receipt = try #require(try await harness.payment(paid.payment.id).mpesaReceipt)
            let pending = try await harness.payout("254700000009", amount: 50_000)  // its result never comes
            let engine = try await harness.gateway.engine(harness.organization)
            let headBefore = engine.store.journal.head
            // Another payment's receipt, on the pending payout's behalf.
            let foreign = await #expect(throws: EngineError.self) {
                try await harness.gateway.transactionStatus(
                    TransactionStatusParameters(mpesaReceipt: receipt, paymentID: pending.payment.id.rawValue),
                    in: harness.organization, by: harness.admin)
            }
            #expect(foreign?.param == "mpesa_receipt")
            #expect(foreign?.message.contains(paid.payment.id.rawValue) == true)
            // A receipt that is not the payment's own.
            let other = await #expect(throws: EngineError.self) {
                try await harness.gateway.transactionStatus(
                    TransactionStatusParameters(mpesaReceipt: "ZZZ9999999", paymentID: paid.payment.id.rawValue),
                    in: harness.organization, by: harness.admin)
            }
            #expect(other?.param == "mpesa_receipt")
            #expect(engine.store.journal.head == headBefore)
            // The payment's own receipt, or none, is asked about.
            let own = try await harness.gateway.transactionStatus(
                TransactionStatusParameters(mpesaReceipt: receipt.lowercased(), paymentID: paid.payment.id.rawValue),
                in: harness.organization, by: harness.admin)
            #expect(own.paymentID == paid.payment.id)
            #expect(try await harness.payment(pending.payment.id).status == .pending)
        }
    }

    @Test func anAnswerAboutAnotherTransactionSettlesNothing() async throws {
        try await PaymentsHarness.run { harness in
            let paid = try await harness.push("254708374149", amount: 10)
            _ = try await harness.deliverCallbacks(count: 1)
            let receipt = try #require(try await harness.payment(paid.payment.id).mpesaReceipt)
            let pending = try await harness.payout("254700000009", amount: 500)
            let engine = try await harness.gateway.engine(harness.organization)
            let payout = try await harness.payment(pending.payment.id)
            let push = try await harness.payment(paid.payment.id)
            let verdicts = try await engine.read { state -> [String: Bool] in
                let completed = ["TransactionStatus": "Completed"]
                func concerns(_ extra: [String: String], _ payment: Payment) -> Bool {
                    Gateway.statusAnswerConcerns(completed.merging(extra) { $1 }, payment: payment, state: state)
                }
                return [
                    "another payment's receipt": concerns(["ReceiptNo": receipt, "Amount": "500"], payout),
                    "another amount": concerns(["ReceiptNo": "NEW0000001", "Amount": "500.50"], payout),
                    "an unreadable amount": concerns(["ReceiptNo": "NEW0000001", "Amount": "5e2"], payout),
                    "a new receipt, its amount": concerns(["ReceiptNo": "NEW0000001", "Amount": "500.00"], payout),
                    "no receipt, no amount": concerns([:], payout),
                    "its own receipt": concerns(["ReceiptNo": receipt.lowercased(), "Amount": "10"], push),
                    "not its own receipt": concerns(["ReceiptNo": "NEW0000001", "Amount": "10"], push),
                ]
            }
            #expect(verdicts["another payment's receipt"] == false)
            #expect(verdicts["another amount"] == false)
            #expect(verdicts["an unreadable amount"] == false)
            #expect(verdicts["a new receipt, its amount"] == true)
            #expect(verdicts["no receipt, no amount"] == true)
            #expect(verdicts["its own receipt"] == true)
            #expect(verdicts["not its own receipt"] == false)
        }
    }
}

extension StatusAnswerTests {
    /// A queue timeout is not a query's answer: the real result that comes after it is kept, and a second
    /// timeout or a duplicate after the real result changes nothing.
    @Test func aQueryResultAfterAQueueTimeoutIsKept() async throws {
        try await PaymentsHarness.run { harness in
            let (_, receipt, query) = try await harness.statusQueryAboutAPaidPush()
            let token = try await harness.gateway.organization(harness.organization, by: harness.admin)
                .openedToken
            let path = "/callbacks/\(harness.slug)/\(token)/\(CallbackKind.statusResult.rawValue)"
            let body = try #require(
                await harness.recorder.waitForDeliveries(to: path, count: 1, timeoutMs: 10_000).first
            )
                .body
            func deliver(_ kind: CallbackKind) async throws -> QueryRecord {
                let answer = try await harness.gateway.receiveCallback(
                    slug: harness.slug, token: token, kind: kind, body: Array(body))
                #expect(answer == .accepted)
                return try await harness.gateway.query(
                    query.id, kind: .transactionStatus, in: harness.organization, by: harness.admin)
            }
            #expect(try await deliver(.statusTimeout).resultCode == .queueTimeout)
            #expect(try await deliver(.statusTimeout).resultCode == .queueTimeout)
            let answered = try await deliver(.statusResult)
            #expect(answered.resultCode == ResultCode(0))
            #expect(answered.parameters["ReceiptNo"] == receipt)
            #expect(try await deliver(.statusTimeout).resultCode == ResultCode(0))
        }
    }
}

extension StatusAnswerTests {
    /// A reversal reconciliation gave up on no longer blocks another; a "Reversed" status answer (it names the
    /// original, not the request) does not settle the unknown one while the new one is pending; once one of them
    /// reversed the
    /// payment, the other's success changes nothing (Daraja reverses a transaction once).
    @Test func anUnknownReversalAllowsAnotherAndOnlyOneIsCreditedTheReversal() async throws {
        try await PaymentsHarness.run { harness in
            let push = try await harness.push("254708374149", amount: 300)
            _ = try await harness.deliverCallbacks(count: 1)
            let receipt = try #require(try await harness.payment(push.payment.id).mpesaReceipt)
            func reverse() async throws -> Payment {
                try await harness.gateway.reversal(
                    ReversalParameters(mpesaReceipt: receipt, amount: 300, remarks: "Refund"),
                    in: harness.organization, idempotency: nil, by: harness.admin
                ).payment
            }
            let first = try await reverse()
            let engine = try await harness.gateway.engine(harness.organization)
            let gaveUp = TenantEvent.paymentSettled(.init(
                paymentID: first.id, status: .unknown, resultCode: ResultCode("PESA_UNRESOLVED"), resultDesc: "gave up",
                source: .reconciliation))
            try await engine.execute { (_, _) throws(EngineError) in Decision(events: [gaveUp], value: ()) }
            let second = try await reverse()
            let answer = ["TransactionStatus": "Reversed", "ReceiptNo": receipt]
            let before = try await engine.read { state in
                [first.id, second.id].compactMap { id in
                    state.payment(id: id).map { Gateway.statusAnswerConcerns(answer, payment: $0, state: state) }
                }
            }
            // The unknown one's answer could be about the pending one; the pending one's is its own to take.
            #expect(before == [false, true])
            // The first one's result comes after all: it reversed the payment.
            #expect(try await harness.deliverCallbacks(.reversalResult, count: 1) == [.accepted])
            #expect(try await harness.payment(first.id).status == .succeeded)
            #expect(try await harness.payment(push.payment.id).status == .reversed)
            let after = try await engine.read { state in
                state.payment(id: second.id).map { Gateway.statusAnswerConcerns(answer, payment: $0, state: state) }
            }
            #expect(after == false)
            // The second one's own result (the sandbox's answer to it) does not make a second reversal.
            _ = try await harness.deliverCallbacks(.reversalResult, count: 2)
            #expect(try await harness.payment(second.id).status != .succeeded)
            #expect(try await harness.payment(push.payment.id).status == .reversed)
        }
    }
}

extension StatusAnswerTests {
    /// A `Completed` status answer overturns a failure only when it names the payment's amount and phone
    /// besides the receipt (which whoever asked chose); anything less leaves the failure.
    @Test func aCompletedAnswerWithThePaymentsAmountAndPhoneOverturnsATimeout() async throws {
        try await PaymentsHarness.run { harness in
            let answer = try await harness.push("0708374149", amount: 20)
            let checkout = try #require(answer.payment.checkoutRequestID)
            let merchant = try #require(answer.payment.merchantRequestID)
            let token = try await harness.gateway.organization(harness.organization, by: harness.admin)
                .openedToken
            let timeout =
                #"{"Body":{"stkCallback":{"MerchantRequestID":"\#(merchant)","CheckoutRequestID":"\#(checkout)","#
                    + #""ResultCode":1037,"ResultDesc":"No response"}}}"#
            _ = try await harness.gateway.receiveCallback(
                slug: harness.slug, token: token, kind: .stk, body: Array(timeout.utf8))
            let timedOut = try await harness.payment(answer.payment.id)
            #expect(timedOut.status == .timeout)
            let proof = [
                "TransactionStatus": "Completed", "ReceiptNo": "TLS0000001", "Amount": "20.00",
                "DebitPartyName": "254708374149 - JANE WANJIRU",
            ]
            var wrongPhone = proof
            wrongPhone["DebitPartyName"] = "254700000001 - SOMEONE ELSE"
            var masked = proof
            masked["DebitPartyName"] = "2547****149 - JANE"
            var noAmount = proof
            noAmount["Amount"] = nil
            var reversed = proof
            reversed["TransactionStatus"] = "Reversed"
            for refused in [wrongPhone, masked, noAmount, reversed] {
                #expect(Gateway.statusSettlement(refused, of: timedOut) == nil, "\(refused)")
            }
            let event = try #require(Gateway.statusSettlement(proof, of: timedOut))
            let engine = try await harness.gateway.engine(harness.organization)
            try await engine.execute { (_, _) throws(EngineError) in Decision(events: [event], value: ()) }
            let overturned = try await harness.payment(answer.payment.id)
            #expect(overturned.status == .succeeded)
            #expect(overturned.mpesaReceipt == "TLS0000001")
        }
    }
}
