import DarajaSandbox
import Foundation
import PesaCore
import PesaStore
import Testing

@testable import PesaEngine

/// The rules that keep a result from settling the wrong payment: a callback must match the payment's ids,
/// a receipt belongs to one payment, a success proves itself before it overturns a failure, and what cannot
/// be settled becomes `unknown` for a person, with an audit entry, never silently.
@Suite struct SettlementRulesTests {
    /// An STK callback for `payment` as Daraja would send it, with the fields a test wants to get wrong.
    static func stkCallback(
        _ payment: Payment, code: Int = 0, amount: Int64? = nil, receipt: String? = nil, phone: String? = nil,
        merchantID: String? = nil
    ) -> [UInt8] {
        var items: [String] = []
        if let amount { items.append(#"{"Name":"Amount","Value":\#(amount)}"#) }
        if let receipt { items.append(#"{"Name":"MpesaReceiptNumber","Value":"\#(receipt)"}"#) }
        if let phone { items.append(#"{"Name":"PhoneNumber","Value":\#(phone)}"#) }
        let metadata = items.isEmpty ? "" : #","CallbackMetadata":{"Item":[\#(items.joined(separator: ","))]}"#
        let merchant = merchantID ?? payment.merchantRequestID ?? "m"
        let checkout = payment.checkoutRequestID ?? ""
        return Array(
            (#"{"Body":{"stkCallback":{"MerchantRequestID":"\#(merchant)","CheckoutRequestID":"\#(checkout)","#
                + #""ResultCode":\#(code),"ResultDesc":"r"\#(metadata)}}}"#)
                .utf8)
    }

    static func deliver(_ body: [UInt8], kind: CallbackKind = .stk, _ harness: PaymentsHarness) async throws
        -> CallbackAnswer
    {
        let token = try await harness.gateway.organization(harness.organization, by: harness.admin).openedToken
        return try await harness.gateway.receiveCallback(slug: harness.slug, token: token, kind: kind, body: body)
    }

    static func audit(_ harness: PaymentsHarness) async throws -> [AuditEntry] {
        try await harness.gateway.auditLog(in: harness.organization, after: 0, limit: 500, by: harness.admin).entries
    }

    @Test func aCallbackWhoseMerchantRequestIDIsAnotherPaymentsSettlesNothing() async throws {
        try await PaymentsHarness.run { harness in
            let push = try await harness.push("254708374149", amount: 10)
            let body = Self.stkCallback(
                push.payment, amount: 10, receipt: "TLM0000001", phone: "254708374149", merchantID: "f00d-0-0-0")
            #expect(try await Self.deliver(body, harness) == .accepted)
            let payment = try await harness.payment(push.payment.id)
            #expect(payment.status == .pending)
            #expect(payment.mpesaReceipt == nil)
            let orphans = try await harness.gateway.unmatchedCallbacks(
                in: harness.organization, after: 0, limit: 10, by: harness.admin)
            #expect(orphans.callbacks.map(\.disposition) == [.orphan])
            // Its own callback (both ids) settles it.
            let own = Self.stkCallback(push.payment, amount: 10, receipt: "TLM0000002", phone: "254708374149")
            #expect(try await Self.deliver(own, harness) == .accepted)
            #expect(try await harness.payment(push.payment.id).status == .succeeded)
        }
    }

    @Test func aReceiptAnotherPaymentHoldsTurnsTheSecondPaymentUnknownNamingTheHolder() async throws {
        try await PaymentsHarness.run { harness in
            let first = try await harness.push("254708374149", amount: 10)
            #expect(try await Self.deliver(
                Self.stkCallback(first.payment, amount: 10, receipt: "TLD0000001", phone: "254708374149"), harness)
                == .accepted)
            let second = try await harness.push("254708374150", amount: 10)
            // The same receipt, lower-cased: receipts compare without regard to case.
            #expect(try await Self.deliver(
                Self.stkCallback(second.payment, amount: 10, receipt: "tld0000001", phone: "254708374150"), harness)
                == .accepted)
            let flagged = try await harness.payment(second.payment.id)
            #expect(flagged.status == .unknown)
            #expect(flagged.attentionReason == .duplicateReceipt)
            #expect(flagged.mpesaReceipt == nil)
            #expect(flagged.resultDesc?.contains(first.payment.id.rawValue) == true)
            #expect(harness.gateway.payments.reconciliation(of: flagged)?.reason == "duplicate_receipt")
            #expect(try await Self.audit(harness).contains {
                $0.action == "payment.flagged.duplicate_receipt" && $0.target == second.payment.id.rawValue
            })
            #expect(try await harness.payment(first.payment.id).status == .succeeded)
            let shared = try await harness.gateway.engine(harness.organization).read { $0.payments.sharedReceipts() }
            #expect(shared.isEmpty)
        }
    }

    @Test func aPayoutResultCarryingAnSTKReceiptSettlesNothingButFlagsThePayout() async throws {
        try await PaymentsHarness.run { harness in
            let push = try await harness.push("254708374149", amount: 10)
            #expect(try await Self.deliver(
                Self.stkCallback(push.payment, amount: 10, receipt: "TLB0000001", phone: "254708374149"), harness)
                == .accepted)
            let payout = try await harness.payout("254708374149", amount: 100)
            let conversation = try #require(payout.payment.conversationID)
            let result =
                #"{"Result":{"ResultType":0,"ResultCode":0,"ResultDesc":"ok","#
                    + #""OriginatorConversationID":"\#(payout.payment.id)","ConversationID":"\#(conversation)","#
                    + #""TransactionID":"TLB0000001","#
                    + #""ResultParameters":{"ResultParameter":[{"Key":"TransactionAmount","Value":100}]}}}"#
            #expect(try await Self.deliver(Array(result.utf8), kind: .b2cResult, harness) == .accepted)
            let flagged = try await harness.payment(payout.payment.id)
            #expect(flagged.status == .unknown)
            #expect(flagged.attentionReason == .duplicateReceipt)
        }
    }

    @Test func aSuccessThatWouldOverturnATimeoutMustNameTheAmountAndPhoneAsked() async throws {
        try await PaymentsHarness.run { harness in
            let push = try await harness.push("254708374149", amount: 800)
            #expect(try await Self.deliver(Self.stkCallback(push.payment, code: 1037), harness) == .accepted)
            #expect(try await harness.payment(push.payment.id).status == .timeout)
            // Amount 1 and another phone: not this payment's money.
            #expect(try await Self.deliver(
                Self.stkCallback(push.payment, amount: 1, receipt: "TLO0000001", phone: "254711111111"), harness)
                == .accepted)
            let flagged = try await harness.payment(push.payment.id)
            #expect(flagged.status == .unknown)
            #expect(flagged.attentionReason == .mismatch)
            #expect(flagged.resultDesc?.contains("800") == true)
            #expect(try await Self.audit(harness).contains { $0.action == "payment.flagged.mismatch" })
        }
    }

    @Test(arguments: [(Int64(1), "254708374149"), (Int64(500), "254711111111")])
    func aPendingPushWhoseSuccessIsForAnotherAmountOrPhoneBecomesUnknown(amount: Int64, phone: String) async throws {
        try await PaymentsHarness.run { harness in
            let push = try await harness.push("254708374149", amount: 500)
            #expect(try await Self.deliver(
                Self.stkCallback(push.payment, amount: amount, receipt: "TLP0000001", phone: phone), harness)
                == .accepted)
            let flagged = try await harness.payment(push.payment.id)
            #expect(flagged.status == .unknown)
            #expect(flagged.attentionReason == .mismatch)
            // A masked phone (Daraja's newer callbacks) proves nothing either way: the right amount settles.
            let other = try await harness.push("254708374151", amount: 500)
            #expect(try await Self.deliver(
                Self.stkCallback(other.payment, amount: 500, receipt: "TLP0000002", phone: "0"), harness) == .accepted)
            #expect(try await harness.payment(other.payment.id).status == .succeeded)
        }
    }

    @Test func aPayoutResultForAnotherAmountFlagsAFailedPayoutInsteadOfOverturningIt() async throws {
        try await PaymentsHarness.run { harness in
            let payout = try await harness.payout("254708374149", amount: 100)
            let conversation = try #require(payout.payment.conversationID)
            func result(code: Int, receipt: String, amount: Int) -> [UInt8] {
                Array(
                    (#"{"Result":{"ResultType":0,"ResultCode":\#(code),"ResultDesc":"r","#
                        + #""OriginatorConversationID":"\#(payout.payment.id)","ConversationID":"\#(conversation)","#
                        + #""TransactionID":"\#(receipt)","#
                        + #""ResultParameters":{"ResultParameter":[{"Key":"TransactionAmount","Value":\#(amount)}]}}}"#)
                        .utf8)
            }
            #expect(
                try await Self.deliver(
                    result(code: 2001, receipt: "TLF0000000", amount: 100), kind: .b2cResult, harness) == .accepted)
            #expect(try await harness.payment(payout.payment.id).status == .failed)
            #expect(
                try await Self.deliver(result(code: 0, receipt: "TLF0000009", amount: 5), kind: .b2cResult, harness)
                    == .accepted)
            let flagged = try await harness.payment(payout.payment.id)
            #expect(flagged.status == .unknown)
            #expect(flagged.attentionReason == .mismatch)
        }
    }

    @Test func aRepeatedSuccessCallbackJournalsOneSettlement() async throws {
        try await PaymentsHarness.run { harness in
            let push = try await harness.push("254708374149", amount: 10)
            let body = Self.stkCallback(push.payment, amount: 10, receipt: "TLS0000001", phone: "254708374149")
            #expect(try await Self.deliver(body, harness) == .accepted)
            let once = try await harness.payment(push.payment.id)
            #expect(try await Self.deliver(body, harness) == .accepted)
            let twice = try await harness.payment(push.payment.id)
            #expect(twice.updatedAtMs == once.updatedAtMs)
            #expect(twice.callbackCount == 2)
            let settled = try await harness.gateway.engine(harness.organization).store.records(
                types: ["payment.settled"], afterSeq: 0, limit: 100, linesMax: 10_000) { _ in true }
            #expect(settled.records.count == 1)
        }
    }

    /// Daraja refuses a second push to a phone whose first is in progress (`500.001.1001`, "Unable to lock
    /// subscriber"): a clear refusal, so the second payment is `failed` with that code, never left pending.
    @Test func aSecondPushToALockedSubscriberIsAFailedPaymentWithDarajasCode() async throws {
        try await PaymentsHarness.run(sandbox: SandboxConfiguration(callbackDelayMs: 60_000)) { harness in
            let first = try await harness.push("254708374149", amount: 10)
            #expect(first.payment.status == .pending)
            let refused = await #expect(throws: EngineError.self) {
                _ = try await harness.push("254708374149", amount: 20)
            }
            #expect(refused?.code == .upstreamError)
            #expect(refused?.message.contains("500.001.1001") == true)
            let failed = try await harness.gateway.engine(harness.organization).read { state in
                state.payments.list(PaymentFilter(status: .failed)).payments
            }
            #expect(failed.count == 1)
            #expect(failed.first?.amount == Amount(shillings: 20))
            #expect(failed.first?.resultCode == ResultCode("500.001.1001"))
            #expect(failed.first?.resultDesc?.hasPrefix("Unable to lock subscriber") == true)
        }
    }

    @Test func aSharedCheckoutRequestIDSettlesNeitherPaymentAndFlagsBoth() throws {
        var state = TenantState()
        var seq: UInt64 = 0
        func apply(_ event: TenantEvent, atMs: Int64) throws {
            seq += 1
            try state.apply(event, seq: seq, atMs: atMs)
        }
        let ids = [
            PaymentID(randomBytes: Array(repeating: 1, count: 16)),
            PaymentID(randomBytes: Array(repeating: 2, count: 16)),
        ]
        for id in ids {
            try apply(TenantEvent.stkPushRequested(.init(
                paymentID: id, amount: Amount(shillings: 10), phone: try MSISDN("254708374149"),
                accountReference: "A", description: "D", transactionType: .paybill, idempotencyKey: nil,
                requestHash: nil)), atMs: 1)
        }
        try apply(TenantEvent.paymentAccepted(.init(
            paymentID: ids[0], merchantRequestID: "m1", checkoutRequestID: "ws_CO_shared")), atMs: 2)
        let second = try #require(state.payment(id: ids[1]))
        let holders = state.payments.rows(forCheckoutRequestID: "ws_CO_shared").map { state.payments.payment(at: $0) }
        let events = Gateway.flagSharedCheckoutID("ws_CO_shared", new: second, holders: holders)
        try apply(TenantEvent.paymentAccepted(.init(
            paymentID: ids[1], merchantRequestID: "m2", checkoutRequestID: "ws_CO_shared")), atMs: 3)
        for event in events { try apply(event, atMs: 3) }
        for id in ids {
            let payment = try #require(state.payment(id: id))
            #expect(payment.status == .unknown)
            #expect(payment.attentionReason == .duplicateCheckoutRequestID)
        }
        #expect(events.filter { if case .auditRecorded = $0 { true } else { false } }.count == 2)
        // A result naming the shared id finds neither.
        var result = CallbackReading.PaymentResult(
            darajaID: "ws_CO_shared", byCheckoutID: true, originatorID: nil, code: ResultCode(0), desc: "ok",
            receipt: "TLX0000001", atMs: nil, shillings: 10, phone: "254708374149")
        result.merchantRequestID = "m1"
        #expect(Gateway.resultRow(result, in: state) == nil)
        #expect(Gateway.isSharedCheckoutID(result, in: state))
    }
}
