import DarajaSandbox
import Foundation
import PesaCore
import PesaStore
import PesaTesting
import Testing

@testable import PesaEngine

/// STK push through the embedded sandbox over loopback, its callbacks, and reconciliation.
@Suite struct PaymentTests {
    @Test func aPushSucceedsWhenItsCallbackArrivesAndDuplicatesChangeNothing() async throws {
        try await PaymentsHarness.run { harness in
            let answer = try await harness.push("0708374149")
            #expect(answer.payment.status == .pending)
            #expect(answer.payment.phone == "254708374149")
            #expect(answer.payment.checkoutRequestID != nil)
            #expect(try await harness.deliverCallbacks(count: 1) == [.accepted])
            let settled = try await harness.gateway.payment(
                answer.payment.id, in: harness.organization, by: harness.admin)
            #expect(settled.status == .succeeded)
            #expect(settled.resultCode == ResultCode("0"))
            #expect(settled.mpesaReceipt?.isEmpty == false)
            // The same callback again: recorded, nothing changes.
            #expect(try await harness.deliverCallbacks(count: 1) == [.accepted])
            let again = try await harness.gateway.payment(
                answer.payment.id, in: harness.organization, by: harness.admin)
            #expect(again.status == settled.status)
            #expect(again.mpesaReceipt == settled.mpesaReceipt)
            #expect(again.updatedAtMs == settled.updatedAtMs)
            #expect(again.callbackCount == 2)
        }
    }

    @Test(arguments: [
        ("254700000001", PaymentStatus.failed, "1"), ("254700001032", .cancelled, "1032"),
        ("254700001037", .timeout, "1037"), ("254700001019", .timeout, "1019"), ("254700002001", .failed, "2001"),
    ])
    func everyScriptedOutcomeIsReached(phone: String, status: PaymentStatus, code: String) async throws {
        try await PaymentsHarness.run { harness in
            let answer = try await harness.push(phone)
            _ = try await harness.deliverCallbacks(count: 1)
            let settled = try await harness.gateway.payment(
                answer.payment.id, in: harness.organization, by: harness.admin)
            #expect(settled.status == status)
            #expect(settled.resultCode == ResultCode(code))
        }
    }

    @Test func anUpstreamFailureIsAClearErrorAndThePaymentIsNotLeftPending() async throws {
        try await PaymentsHarness.run(reconcileAfterMs: 0) { harness in
            let error = await #expect(throws: EngineError.self) { try await harness.push("254700000500") }
            #expect(error?.code == .upstreamError)
            #expect(error?.message.contains("reconciled") == true)
            await harness.gateway.reconcile(harness.organization)
            let unresolved = try await harness.gateway.engine(harness.organization).read { state in
                state.payments.list(PaymentFilter(status: .unknown)).payments
            }
            #expect(unresolved.count == 1)
            #expect(unresolved.first?.phone == "254700000500")
        }
        // With time to wait for its callback (the default: 10 minutes), it stays pending meanwhile, however
        // many passes that takes, and its callback settles it.
        try await PaymentsHarness.run(reconcileAfterMs: 0, reconcileAttemptsMax: 1, lostPushAnswerWaitMs: 600_000) {
            harness in
            _ = await #expect(throws: EngineError.self) { try await harness.push("254700000500") }
            for _ in 0..<3 { await harness.gateway.reconcile(harness.organization) }
            let waiting = try await harness.gateway.engine(harness.organization).read { state in
                state.payments.list(PaymentFilter(status: .pending)).payments
            }
            #expect(waiting.count == 1)
            #expect(waiting.first?.reconcileAttempts == 3)
            let token = try await harness.gateway.organization(harness.organization, by: harness.admin)
                .openedToken
            let body =
                #"{"Body":{"stkCallback":{"MerchantRequestID":"m","CheckoutRequestID":"ws_CO_never_seen","#
                    + #""ResultCode":0,"ResultDesc":"ok","CallbackMetadata":{"Item":[{"Name":"Amount","Value":10},"#
                    + #"{"Name":"MpesaReceiptNumber","Value":"TLW0000001"},{"Name":"PhoneNumber","#
                    + #""Value":254700000500}]}}}}"#
            #expect(try await harness.gateway.receiveCallback(
                slug: harness.slug, token: token, kind: .stk, body: Array(body.utf8)) == .accepted)
            let settled = try await harness.payment(try #require(waiting.first).id)
            #expect(settled.status == .succeeded)
            #expect(settled.mpesaReceipt == "TLW0000001")
        }
    }

    @Test func aLostCallbackIsSettledByReconciliation() async throws {
        try await PaymentsHarness.run(reconcileAfterMs: 0) { harness in
            let answer = try await harness.push("254700000009")
            // Query until Daraja (the sandbox) has a final answer; each query that finds it pending is recorded.
            var settled = answer.payment
            let deadline = ContinuousClock.now + .seconds(10)
            while settled.status == .pending && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                await harness.gateway.reconcile(harness.organization)
                settled = try await harness.gateway.payment(
                    answer.payment.id, in: harness.organization, by: harness.admin)
            }
            #expect(settled.status == .succeeded)
            #expect(settled.mpesaReceipt == nil)  // an STK query carries no receipt
            // The callback comes after all (late, or delivered again): the payment learns its receipt, once.
            let checkout = try #require(settled.checkoutRequestID)
            let merchant = try #require(settled.merchantRequestID)
            let token = try await harness.gateway.organization(harness.organization, by: harness.admin)
                .openedToken
            func callback(_ receipt: String) -> [UInt8] {
                Array(#"""
                    {"Body":{"stkCallback":{"MerchantRequestID":"\#(merchant)",\#
                    "CheckoutRequestID":"\#(checkout)","ResultCode":0,
                    "ResultDesc":"ok","CallbackMetadata":{"Item":[{"Name":"Amount","Value":10},
                    {"Name":"MpesaReceiptNumber","Value":"\#(receipt)"},\#
                    {"Name":"TransactionDate","Value":20261129101542},
                    {"Name":"PhoneNumber","Value":254700000009}]}}}}
                    """#.utf8)
            }
            for receipt in ["TLR0000001", "TLR0000002"] {
                let answer = try await harness.gateway.receiveCallback(
                    slug: harness.slug, token: token, kind: .stk, body: callback(receipt))
                #expect(answer == .accepted)
            }
            let learned = try await harness.payment(answer.payment.id)
            #expect(learned.status == .succeeded)
            #expect(learned.mpesaReceipt == "TLR0000001")
            let byReceipt = try await harness.gateway.engine(harness.organization).read { state in
                state.payments.row(forReceipt: "TLR0000001").map { state.payments.payment(at: $0).id }
            }
            #expect(byReceipt == answer.payment.id)
        }
    }

    @Test func idempotencyKeysReplayTheFirstAnswerAndRefuseAnotherBody() async throws {
        try await PaymentsHarness.run { harness in
            let key = IdempotencyInput(key: "order-42", requestHash: String(repeating: "a", count: 64))
            let first = try await harness.push("254708374149", idempotency: key)
            let second = try await harness.push("254708374149", idempotency: key)
            #expect(second.isReplay)
            #expect(second.payment.id == first.payment.id)
            let other = IdempotencyInput(key: "order-42", requestHash: String(repeating: "b", count: 64))
            let error = await #expect(throws: EngineError.self) {
                try await harness.push("254708374149", amount: 11, idempotency: other)
            }
            #expect(error?.code == .idempotencyKeyReused)
        }
    }

    /// The longest keys the API accepts are kept whole: two of them differing only in their last character
    /// are two payments.
    @Test func theLongestKeysAreKeptWhole() async throws {
        #expect(Limits.idempotencyKeyCharactersMax <= Limits.paymentTextBytesMax)
        try await PaymentsHarness.run { harness in
            let stem = String(repeating: "k", count: Limits.idempotencyKeyCharactersMax - 1)
            let hash = String(repeating: "a", count: 64)
            let push = { (key: String) in
                try await harness.push("254708374149", idempotency: IdempotencyInput(key: key, requestHash: hash))
            }
            let first = try await push(stem + "1")
            let second = try await push(stem + "2")
            #expect(!second.isReplay)
            #expect(second.payment.id != first.payment.id)
            let again = try await push(stem + "2")
            #expect(again.isReplay)
            #expect(again.payment.id == second.payment.id)
        }
    }

    @Test func forgedAndForeignCallbacksChangeNothing() async throws {
        try await PaymentsHarness.run { harness in
            let answer = try await harness.push("254708374149")
            let token = try await harness.gateway.organization(harness.organization, by: harness.admin).openedToken
            let path = "/callbacks/acme/\(token)/stk"
            let delivery = try #require(await harness.recorder.waitForDeliveries(to: path, count: 1).first)
            #expect(try await harness.gateway.receiveCallback(
                slug: "acme", token: String(token.reversed()), kind: .stk, body: Array(delivery.body)) == .notFound)
            #expect(try await harness.gateway.receiveCallback(
                slug: "nobody", token: token, kind: .stk, body: Array(delivery.body)) == .notFound)
            // Another organization receives acme's callback on its own URL: an orphan there, nothing settles.
            let globex = try await harness.gateway.createOrganization(
                name: "Globex", slug: "globex", plan: "free", by: EngineHarness.superAdmin)
            #expect(try await harness.gateway.receiveCallback(
                slug: "globex", token: globex.openedToken, kind: .stk, body: Array(delivery.body)) == .accepted)
            let globexState = try await harness.gateway.engine(globex.record.id).read { state in
                (state.payments.count, state.counters.orphanCallbacks)
            }
            #expect(globexState.0 == 0)
            #expect(globexState.1 == 1)
            let stillPending = try await harness.gateway.payment(
                answer.payment.id, in: harness.organization, by: harness.admin)
            #expect(stillPending.status == .pending)
            guard case .malformed = try await harness.gateway.receiveCallback(
                slug: "acme", token: token, kind: .stk, body: Array("not json".utf8))
            else {
                Issue.record("a malformed body was not reported")
                return
            }
        }
    }
}

extension PaymentTests {
    /// A success that comes after the payment was settled as a failure (out of order relative to a query, or a
    /// 1037 callback before the PIN's) overturns it when it brings a receipt; without one, or after a success,
    /// nothing changes.
    @Test func aLateSuccessWithAReceiptOverturnsATimeout() async throws {
        try await PaymentsHarness.run { harness in
            let answer = try await harness.push("0708374149")
            let checkout = try #require(answer.payment.checkoutRequestID)
            let merchant = try #require(answer.payment.merchantRequestID)
            let token = try await harness.gateway.organization(harness.organization, by: harness.admin)
                .openedToken
            func callback(code: Int, receipt: String?) -> [UInt8] {
                let metadata = receipt.map {
                    #","CallbackMetadata":{"Item":[{"Name":"Amount","Value":10},{"Name":"MpesaReceiptNumber","#
                        + #""Value":"\#($0)"},{"Name":"PhoneNumber","Value":254708374149}]}"#
                } ?? ""
                return Array(
                    (#"{"Body":{"stkCallback":{"MerchantRequestID":"\#(merchant)","CheckoutRequestID":"\#(checkout)","#
                        + #""ResultCode":\#(code),"ResultDesc":"r"\#(metadata)}}}"#)
                        .utf8)
            }
            func deliver(code: Int, receipt: String?) async throws -> Payment {
                let delivered = try await harness.gateway.receiveCallback(
                    slug: harness.slug, token: token, kind: .stk, body: callback(code: code, receipt: receipt))
                #expect(delivered == .accepted)
                return try await harness.payment(answer.payment.id)
            }
            #expect(try await deliver(code: 1037, receipt: nil).status == .timeout)
            // A success without a receipt proves nothing: the timeout stays.
            #expect(try await deliver(code: 0, receipt: nil).status == .timeout)
            let overturned = try await deliver(code: 0, receipt: "TLT0000001")
            #expect(overturned.status == .succeeded)
            #expect(overturned.mpesaReceipt == "TLT0000001")
            #expect(overturned.resultCode == ResultCode("0"))
            // After the success, a failure is late again.
            #expect(try await deliver(code: 1032, receipt: nil).status == .succeeded)
            // The receipt is indexed: the payment is found by it (a reversal needs that).
            let engine = try await harness.gateway.engine(harness.organization)
            let row = try await engine.read { state in state.payments.row(forReceipt: "TLT0000001") }
            #expect(row != nil)
        }
    }
}

extension PaymentTests {
    /// A push whose answer from Daraja was lost (no CheckoutRequestID) is found by its success's amount and
    /// phone when exactly one pending push fits; two that fit are left to a person.
    @Test func aSuccessForAPushWhoseAnswerWasLostSettlesTheOnePushThatFits() async throws {
        try await PaymentsHarness.run { harness in
            let engine = try await harness.gateway.engine(harness.organization)
            /// Journals a push's intent only, as when Daraja's answer never came.
            func intent(_ phone: String, shillings: Int64) async throws -> PaymentID {
                let id = PaymentID(randomBytes: CommandContext.randomBytes(16))
                let event = TenantEvent.stkPushRequested(.init(
                    paymentID: id, amount: Amount(shillings: shillings), phone: try MSISDN(phone),
                    accountReference: "INV-9", description: "Lost answer"))
                try await engine.execute { (_, _) throws(EngineError) in Decision(events: [event], value: ()) }
                return id
            }
            let token = try await harness.gateway.organization(harness.organization, by: harness.admin)
                .openedToken
            func success(_ phone: String, shillings: Int64, receipt: String) async throws -> CallbackAnswer {
                let body =
                    #"{"Body":{"stkCallback":{"MerchantRequestID":"m","CheckoutRequestID":"ws_CO_unknown_\#(receipt)","#
                        + #""ResultCode":0,"ResultDesc":"ok","CallbackMetadata":{"Item":[{"Name":"Amount","#
                        + #""Value":\#(shillings)},{"Name":"MpesaReceiptNumber","Value":"\#(receipt)"},"#
                        + #"{"Name":"PhoneNumber","Value":\#(phone)}]}}}}"#
                return try await harness.gateway.receiveCallback(
                    slug: harness.slug, token: token, kind: .stk, body: Array(body.utf8))
            }
            let lost = try await intent("0708374149", shillings: 25)
            _ = try await intent("0708374149", shillings: 30)  // same phone, another amount
            _ = try await intent("0711000000", shillings: 25)  // same amount, another phone
            #expect(try await success("254708374149", shillings: 25, receipt: "TLA0000001") == .accepted)
            let settled = try await harness.payment(lost)
            #expect(settled.status == .succeeded)
            #expect(settled.mpesaReceipt == "TLA0000001")
            // Two pushes that fit: neither is settled (the callback stays an orphan).
            let first = try await intent("0722000000", shillings: 40)
            let second = try await intent("0722000000", shillings: 40)
            #expect(try await success("254722000000", shillings: 40, receipt: "TLA0000002") == .accepted)
            #expect(try await harness.payment(first).status == .pending)
            #expect(try await harness.payment(second).status == .pending)
            let orphans = try await engine.read { state in state.counters.orphanCallbacks }
            #expect(orphans >= 1)
        }
    }
}

extension PaymentTests {
    /// The same success callback delivered twice settles the payment once: the journal holds one
    /// `payment.settled`, the second delivery is only a matched `callback.received`, and the payment and the
    /// counters (but the callback count) are as the first delivery left them.
    @Test func aRepeatedSuccessCallbackIsJournaledOnceAsASettlement() async throws {
        try await PaymentsHarness.run { harness in
            let answer = try await harness.push("0708374149")
            let id = answer.payment.id
            let engine = try await harness.gateway.engine(harness.organization)
            #expect(try await harness.deliverCallbacks(count: 1) == [.accepted])
            let first = try await harness.payment(id)
            #expect(first.status == .succeeded)
            let countersAfterFirst = try await engine.read { state in state.counters }
            #expect(try await harness.deliverCallbacks(count: 1) == [.accepted])
            let second = try await harness.payment(id)
            let countersAfterSecond = try await engine.read { state in state.counters }

            let records = try await engine.store.records(
                types: ["payment.settled", "callback.received"], afterSeq: 0, limit: 1_000
            ).records
            let about = try records.filter { try TenantEvent(type: $0.type, data: $0.data).paymentID == id }
            #expect(about.map(\.type) == ["callback.received", "payment.settled", "callback.received"])
            let last = try #require(about.last)
            guard case .callbackReceived(let repeated) = try TenantEvent(type: last.type, data: last.data) else {
                Issue.record("the second delivery is not a callback.received")
                return
            }
            #expect(repeated.disposition == .matched)
            #expect(repeated.paymentID == id)

            #expect(second.updatedAtMs == first.updatedAtMs)
            #expect(second.status == first.status)
            #expect(second.mpesaReceipt == first.mpesaReceipt)
            #expect(second.callbackCount == first.callbackCount + 1)
            #expect(countersAfterSecond.callbacks == countersAfterFirst.callbacks + 1)
            #expect(countersAfterSecond.duplicateResults == countersAfterFirst.duplicateResults)
            #expect(countersAfterSecond.lateResults == countersAfterFirst.lateResults)
            #expect(countersAfterSecond.orphanCallbacks == countersAfterFirst.orphanCallbacks)
            #expect(countersAfterSecond.malformedCallbacks == countersAfterFirst.malformedCallbacks)
            #expect(countersAfterSecond.auditEntries == countersAfterFirst.auditEntries)
        }
    }
}

extension PaymentTests {
    /// Each reconciliation pass journals one event per due payment: a `payment.reconcile_attempted` while the
    /// STK query finds the push pending, or the `payment.settled` (source `query`) instead of it once the query
    /// has the answer. So the queries count only when they found it pending (none when the first query settles
    /// it); the receipt lookup sent right after the settlement (an STK query names no receipt) is one attempt.
    @Test func aPushSettledByAQueryHasNoAttemptLineForThatQuery() async throws {
        try await PaymentsHarness.run(reconcileAfterMs: 0) { harness in
            let answer = try await harness.push("254700000009")
            try await Task.sleep(for: .milliseconds(200))
            var settled = answer.payment
            let deadline = ContinuousClock.now + .seconds(10)
            while settled.status == .pending && ContinuousClock.now < deadline {
                await harness.gateway.reconcile(harness.organization)
                settled = try await harness.payment(answer.payment.id)
                if settled.status == .pending { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(settled.status == .succeeded)
            let engine = try await harness.gateway.engine(harness.organization)
            let records = try await engine.store.records(
                types: ["payment.reconcile_attempted", "payment.settled"], afterSeq: 0, limit: 1_000
            ).records
            let about = try records.filter {
                try TenantEvent(type: $0.type, data: $0.data).paymentID == answer.payment.id
            }
            let attempts = about.filter { $0.type == "payment.reconcile_attempted" }
            #expect(about.filter { $0.type == "payment.settled" }.count == 1)
            #expect(settled.reconcileAttempts == attempts.count)
            let settledAt = try #require(about.firstIndex { $0.type == "payment.settled" })
            guard
                case .paymentSettled(let settlement) = try TenantEvent(
                    type: about[settledAt].type, data: about[settledAt].data)
            else {
                Issue.record("no settlement of the push")
                return
            }
            #expect(settlement.source == .query)
            let after = about[(settledAt + 1)...]
            #expect(after.count == 1, "one receipt lookup follows the settlement")
            let lookup = try #require(after.first)
            guard case .reconciliationAttempted(let attempt) = try TenantEvent(type: lookup.type, data: lookup.data)
            else {
                Issue.record("the event after the settlement is not the receipt lookup")
                return
            }
            #expect(attempt.outcome == .queried)
        }
    }
}
