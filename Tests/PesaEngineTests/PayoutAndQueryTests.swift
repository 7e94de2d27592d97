import DarajaSandbox
import Foundation
import PesaCore
import PesaStore
import PesaTesting
import Testing

@testable import PesaEngine

/// B2C payouts, reversals, balance checks and transaction-status queries through the embedded sandbox over
/// loopback, with their result callbacks and reconciliation.
@Suite struct PayoutAndQueryTests {
    @Test func aPayoutSucceedsOnItsResultAndADuplicateResultChangesNothing() async throws {
        try await PaymentsHarness.run { harness in
            let answer = try await harness.payout("0708374149", amount: 150, command: "salary_payment")
            #expect(answer.payment.type == .b2c)
            #expect(answer.payment.status == .pending)
            #expect(answer.payment.command == .salaryPayment)
            #expect(answer.payment.conversationID?.isEmpty == false)
            #expect(answer.payment.originatorConversationID == answer.payment.id.rawValue)
            #expect(try await harness.deliverCallbacks(.b2cResult, count: 1) == [.accepted])
            let settled = try await harness.payment(answer.payment.id)
            #expect(settled.status == .succeeded)
            #expect(settled.mpesaReceipt?.isEmpty == false)
            #expect(try await harness.deliverCallbacks(.b2cResult, count: 1) == [.accepted])
            let again = try await harness.payment(answer.payment.id)
            #expect(again.status == .succeeded)
            #expect(again.updatedAtMs == settled.updatedAtMs)
            #expect(again.callbackCount == 2)
        }
    }

    @Test(arguments: [("254700000001", PaymentStatus.failed, "1"), ("254700002001", .failed, "2001")])
    func aFailedPayoutKeepsDarajasCodeAndNoReceipt(phone: String, status: PaymentStatus, code: String) async throws {
        try await PaymentsHarness.run { harness in
            let answer = try await harness.payout(phone)
            _ = try await harness.deliverCallbacks(.b2cResult, count: 1)
            let settled = try await harness.payment(answer.payment.id)
            #expect(settled.status == status)
            #expect(settled.resultCode == ResultCode(code))
            #expect(settled.mpesaReceipt == nil)
        }
    }

    @Test func badPayoutInputIsRefusedNamingTheFieldAndNothingIsJournaled() async throws {
        try await PaymentsHarness.run { harness in
            let before = try await harness.gateway.engine(harness.organization).read { $0.lastSeq }
            let cases: [(PayoutParameters, String)] = [
                (.init(phone: "0708374149", amount: 100, command: "gift", remarks: "xy", occasion: nil), "command"),
                (
                    .init(phone: "0708374149", amount: 5, command: "business_payment", remarks: "xy", occasion: nil),
                    "amount"
                ),
                (
                    .init(phone: "12345", amount: 100, command: "business_payment", remarks: "xy", occasion: nil),
                    "phone"
                ),
                (
                    .init(phone: "0708374149", amount: 100, command: "business_payment", remarks: "", occasion: nil),
                    "remarks"
                ),
                // Daraja wants 2 to 100 characters.
                (
                    .init(phone: "0708374149", amount: 100, command: "business_payment", remarks: " x ", occasion: nil),
                    "remarks"
                ),
                (.init(phone: "0708374149", amount: 100, command: "business_payment", remarks: "ok",
                       occasion: String(repeating: "o", count: 101)), "occasion"),
            ]
            for (input, param) in cases {
                let error = await #expect(throws: EngineError.self) {
                    try await harness.gateway.payout(
                        input, in: harness.organization, idempotency: nil, by: harness.admin)
                }
                #expect(error?.code == .invalidField)
                #expect(error?.param == param)
                // The preview refuses it alike.
                let previewed = await #expect(throws: EngineError.self) {
                    try await harness.gateway.previewPayout(input, in: harness.organization, by: harness.admin)
                }
                #expect(previewed?.param == param)
            }
            // A good payout's preview says what would be sent, and journals nothing.
            let preview = try await harness.gateway.previewPayout(
                .init(phone: "0708374149", amount: 100, command: "business_payment", remarks: "ok", occasion: nil),
                in: harness.organization, by: harness.admin)
            #expect(preview.amount == Amount(shillings: 100))
            #expect(preview.phone == "254708374149")
            #expect(preview.shortCode == "174379")
            #expect(preview.environment == "sandbox")
            let user = EngineHarness.member(.user, of: harness.organization)
            let forbidden = await #expect(throws: EngineError.self) {
                try await harness.gateway.payout(cases[0].0, in: harness.organization, idempotency: nil, by: user)
            }
            #expect(forbidden?.code == .forbidden)
            #expect(try await harness.gateway.engine(harness.organization).read { $0.lastSeq } == before)
        }
    }

    @Test func aPayoutWhoseResultIsLostIsSettledByATransactionStatusQuery() async throws {
        try await PaymentsHarness.run(reconcileAfterMs: 0) { harness in
            let answer = try await harness.payout("254700000009")
            await harness.gateway.reconcile(harness.organization)
            let pending = try await harness.payment(answer.payment.id)
            #expect(pending.status == .pending)
            #expect(pending.reconcileAttempts == 1)
            #expect(try await harness.deliverCallbacks(.statusResult, count: 1) == [.accepted])
            let settled = try await harness.payment(answer.payment.id)
            #expect(settled.status == .succeeded)
            #expect(settled.mpesaReceipt?.isEmpty == false)
            let query = try await harness.gateway.engine(harness.organization).read { state in
                state.queries.values.first
            }
            #expect(query?.reason == .reconciliation)
            #expect(query?.paymentID == answer.payment.id)
            #expect(query?.status == .completed)
        }
    }

    @Test func aPayoutDarajaFailsOnIsQueriedAndThenFlaggedUnknownNeverLeftPending() async throws {
        try await PaymentsHarness.run(reconcileAfterMs: 0, reconcileAttemptsMax: 2) { harness in
            let error = await #expect(throws: EngineError.self) { try await harness.payout("254700000500") }
            #expect(error?.code == .upstreamError)
            let id = try #require(try await harness.gateway.engine(harness.organization).read { state in
                state.payments.list(PaymentFilter(type: .b2c)).payments.first?.id
            })
            #expect(try await harness.payment(id).status == .pending)
            for _ in 0..<3 { await harness.gateway.reconcile(harness.organization) }
            let flagged = try await harness.payment(id)
            #expect(flagged.status == .unknown)
            #expect(flagged.resultCode == ResultCode("PESA_UNRESOLVED"))
        }
    }

    @Test func aQueryResultThatBeatsTheAcknowledgementIsAppliedWithIt() async throws {
        try await PaymentsHarness.run { harness in
            let engine = try await harness.gateway.engine(harness.organization)
            let early = CallbackReading.QueryResult(
                conversationID: "AG_EARLY", code: ResultCode(0), desc: "ok",
                parameters: ["AccountBalance": "Working Account|KES|10.00|10.00|0.00|0.00"])
            let decision = try await engine.read { state in
                Gateway.decide(
                    .queryResult(early), kind: .balanceResult, raw: "{}", state: state,
                    newID: PaymentID(randomBytes: Array(repeating: 1, count: 16)), engine: engine, nowMs: 1)
            }
            #expect(decision.value == .accepted)
            #expect(decision.events.count == 1)  // kept as an orphan, remembered
            guard case .queryResult(let remembered)? = engine.takeEarlyResult(darajaID: "AG_EARLY") else {
                Issue.record("the early result was not remembered")
                return
            }
            #expect(remembered.parameters == early.parameters)
            // What sendQuery journals once the acknowledgement comes: the query and, in the same step, its result.
            let id = QueryID(randomBytes: Array(repeating: 2, count: 16))
            try await engine.execute { (state, context) throws(EngineError) in
                let sent = TenantEvent.querySent(.init(
                    queryID: id, kind: .balance, reason: .api, conversationID: "AG_EARLY",
                    originatorConversationID: "O"))
                let results = Gateway.queryResultEvents(
                    remembered, queryID: id, kind: .balance, paymentID: nil, shortCodeID: nil, state: state,
                    nowMs: context.nowMs, notReceivedAfterMs: 600_000)
                return Decision(events: [sent] + results, value: ())
            }
            let view = try await harness.gateway.balances(in: harness.organization, by: harness.admin)
            #expect(view.latestCheck?.status == .completed)
            #expect(view.accounts.first?.current == Amount(minorUnits: 1_000))
        }
    }

    @Test func aReversalReversesTheOriginalOnceAndOnlyForTheOrganizationsOwnReceipts() async throws {
        try await PaymentsHarness.run { harness in
            let push = try await harness.push("254708374149", amount: 300)
            _ = try await harness.deliverCallbacks(count: 1)
            let paid = try await harness.payment(push.payment.id)
            let receipt = try #require(paid.mpesaReceipt)
            let tooMuch = await #expect(throws: EngineError.self) {
                try await harness.gateway.reversal(
                    ReversalParameters(mpesaReceipt: receipt, amount: 301, remarks: "Refund"),
                    in: harness.organization, idempotency: nil, by: harness.admin)
            }
            #expect(tooMuch?.param == "amount")
            let unknown = await #expect(throws: EngineError.self) {
                try await harness.gateway.reversal(
                    ReversalParameters(mpesaReceipt: "ZZZ0000000", amount: 10, remarks: "Refund"),
                    in: harness.organization, idempotency: nil, by: harness.admin)
            }
            #expect(unknown?.code == .notFound)
            let reversal = try await harness.gateway.reversal(
                ReversalParameters(mpesaReceipt: receipt.lowercased(), amount: 300, remarks: "Refund"),
                in: harness.organization, idempotency: nil, by: harness.admin)
            #expect(reversal.payment.type == .reversal)
            #expect(reversal.payment.originalPaymentID == push.payment.id.rawValue)
            let twice = await #expect(throws: EngineError.self) {
                try await harness.gateway.reversal(
                    ReversalParameters(mpesaReceipt: receipt, amount: 300, remarks: "Refund"),
                    in: harness.organization, idempotency: nil, by: harness.admin)
            }
            #expect(twice?.code == .conflict)
            #expect(try await harness.deliverCallbacks(.reversalResult, count: 1) == [.accepted])
            #expect(try await harness.payment(reversal.payment.id).status == .succeeded)
            #expect(try await harness.payment(push.payment.id).status == .reversed)
        }
    }

    @Test func aBalanceCheckUpdatesTheBalancesWhenItsResultComes() async throws {
        try await PaymentsHarness.run { harness in
            let query = try await harness.gateway.balanceCheck(in: harness.organization, by: harness.admin)
            #expect(query.status == .pending)
            #expect(query.kind == .balance)
            let empty = try await harness.gateway.balances(in: harness.organization, by: harness.admin)
            #expect(empty.accounts.isEmpty)
            #expect(empty.asOfMs == nil)
            #expect(try await harness.deliverCallbacks(.balanceResult, count: 1) == [.accepted])
            let view = try await harness.gateway.balances(in: harness.organization, by: harness.admin)
            #expect(view.accounts.map(\.account).contains("Working Account"))
            #expect(view.accounts.allSatisfy { $0.currency == "KES" })
            #expect(view.asOfMs != nil)
            #expect(view.latestCheck?.id == query.id)
            #expect(view.latestCheck?.status == .completed)
            // A duplicate result: recorded, nothing changes.
            #expect(try await harness.deliverCallbacks(.balanceResult, count: 1) == [.accepted])
            let again = try await harness.gateway.balances(in: harness.organization, by: harness.admin)
            #expect(again.accounts == view.accounts)
        }
    }

    @Test func aTransactionStatusQueryByReceiptKeepsDarajasAnswer() async throws {
        try await PaymentsHarness.run { harness in
            let (push, receipt, query) = try await harness.statusQueryAboutAPaidPush()
            #expect(query.paymentID == push.payment.id)
            _ = try await harness.deliverCallbacks(.statusResult, count: 1)
            let answered = try await harness.gateway.query(
                query.id, kind: .transactionStatus, in: harness.organization, by: harness.admin)
            #expect(answered.status == .completed)
            #expect(answered.parameters["TransactionStatus"] == "Completed")
            #expect(answered.parameters["ReceiptNo"] == receipt)
            let missing = await #expect(throws: EngineError.self) {
                try await harness.gateway.transactionStatus(
                    TransactionStatusParameters(mpesaReceipt: nil, paymentID: nil), in: harness.organization,
                    by: harness.admin)
            }
            #expect(missing?.param == "mpesa_receipt")
            let wrongKind = await #expect(throws: EngineError.self) {
                try await harness.gateway.query(query.id, kind: .balance, in: harness.organization, by: harness.admin)
            }
            #expect(wrongKind?.code == .notFound)
        }
    }

    @Test func c2bURLsAreRegisteredForTheOrganizationsOwnCallbackURLs() async throws {
        try await PaymentsHarness.run { harness in
            let registration = try await harness.gateway.registerC2BURLs(
                responseType: nil, in: harness.organization, by: harness.admin)
            #expect(registration.responseType == "Completed")
            #expect(
                registration.confirmationURL.hasSuffix("/callbacks/acme/\(try await token(harness))/c2b/confirmation"))
            let bad = await #expect(throws: EngineError.self) {
                try await harness.gateway.registerC2BURLs(
                    responseType: "maybe", in: harness.organization, by: harness.admin)
            }
            #expect(bad?.param == "response_type")
        }
    }

    private func token(_ harness: PaymentsHarness) async throws -> String {
        try await harness.gateway.organization(harness.organization, by: harness.admin).openedToken
    }

    @Test func balanceTextIsReadWithoutFloatingPoint() {
        let accounts = BalanceText.accounts(
            "Working Account|KES|700000.00|700000.00|0.00|0.00&"
                + "Charges Paid Account|KES|-1540.5|-1540.5|0|0&bad|KES|x|1|1|1"
        )
        #expect(accounts.count == 2)
        #expect(accounts[0].current == Amount(minorUnits: 70_000_000))
        #expect(accounts[1].available == Amount(minorUnits: -154_050))
        #expect(BalanceText.minorUnits("0.008") == nil)
        #expect(BalanceText.minorUnits("12") == 1200)
    }
}

/// C2B validation: accept by default; an organization may reject unknown account references.
@Suite struct C2BValidationTests {
    static func validation(_ reference: String, shortCode: String = "174379") -> [UInt8] {
        Array(
            (#"{"TransactionType":"Pay Bill","TransID":"","TransTime":"20261128120000","TransAmount":"10","#
                + #""BusinessShortCode":"\#(shortCode)","BillRefNumber":"\#(reference)","MSISDN":"254708374149"}"#)
                .utf8)
    }

    @Test func aConfirmationBecomesOneSucceededC2BPaymentEvenWhenDeliveredTwice() async throws {
        try await PaymentsHarness.run { harness in
            let token = try await harness.gateway.organization(harness.organization, by: harness.admin).openedToken
            let body = Array(
                (#"{"TransactionType":"Pay Bill","TransID":"SKR7C2B001","TransTime":"20261128120000","#
                    + #""TransAmount":"250.00","BusinessShortCode":"174379","BillRefNumber":"INV-1","#
                    + #""MSISDN":"254708374149"}"#)
                    .utf8)
            for _ in 0..<2 {
                let answer = try await harness.gateway.receiveCallback(
                    slug: harness.slug, token: token, kind: .c2bConfirmation, body: body)
                #expect(answer == .accepted)
            }
            let payments = try await harness.gateway.engine(harness.organization).read { state in
                state.payments.list(PaymentFilter(type: .c2b)).payments
            }
            #expect(payments.count == 1)
            #expect(payments.first?.status == .succeeded)
            #expect(payments.first?.mpesaReceipt == "SKR7C2B001")
            #expect(payments.first?.amount == Amount(shillings: 250))
            #expect(payments.first?.accountReference == "INV-1")
            // Cents are kept; a zero or unreadable amount is kept raw and answered as malformed.
            let cents = Array(
                (#"{"TransactionType":"Pay Bill","TransID":"SKR7C2B002","TransTime":"20261128120000","#
                    + #""TransAmount":"10.50","BusinessShortCode":"174379","BillRefNumber":"INV-2","#
                    + #""MSISDN":"254708374149"}"#)
                    .utf8)
            #expect(try await harness.gateway.receiveCallback(
                slug: harness.slug, token: token, kind: .c2bConfirmation, body: cents) == .accepted)
            let withCents = try await harness.gateway.engine(harness.organization).read { state in
                state.payments.row(forReceipt: "SKR7C2B002").map { state.payments.payment(at: $0).amount }
            }
            #expect(withCents == Amount(minorUnits: 1_050))
            for amount in ["0.00", "1.234", "ten"] {
                let bad = Array(
                    (#"{"TransactionType":"Pay Bill","TransID":"SKR7C2B003","TransAmount":"\#(amount)","#
                        + #""BusinessShortCode":"174379","BillRefNumber":"X","MSISDN":"2547"}"#)
                        .utf8)
                let answer = try await harness.gateway.receiveCallback(
                    slug: harness.slug, token: token, kind: .c2bConfirmation, body: bad)
                #expect(
                    answer == .malformed("C2B confirmation without a readable positive TransAmount or a TransID"),
                    "\(amount)")
            }
        }
    }

    @Test func unknownAccountReferencesAreRejectedOnlyWhenTheOrganizationSaysSo() async throws {
        try await PaymentsHarness.run { harness in
            let token = try await harness.gateway.organization(harness.organization, by: harness.admin).openedToken
            func validate(_ reference: String) async throws -> CallbackAnswer {
                try await harness.gateway.receiveCallback(
                    slug: harness.slug, token: token, kind: .c2bValidation, body: Self.validation(reference))
            }
            #expect(try await validate("anything") == .accepted)
            // A short code the organization does not hold is refused, whatever the account.
            let foreign = try await harness.gateway.receiveCallback(
                slug: harness.slug, token: token, kind: .c2bValidation,
                body: Self.validation("anything", shortCode: "600000"))
            #expect(foreign == .rejected(code: "C2B00015", desc: "Rejected: unknown short code"))
            let policy = try await harness.gateway.setC2BValidation(
                rejectUnknown: true, accountReferences: ["inv-1", "ACC 2"], in: harness.organization, by: harness.admin)
            #expect(policy.accountReferences == ["INV-1", "ACC2"])
            #expect(try await validate("INV-1") == .accepted)
            #expect(try await validate("acc2") == .accepted)
            #expect(
                try await validate("INV-9") == .rejected(code: "C2B00012", desc: "Rejected: unknown account number"))
            let bad = await #expect(throws: EngineError.self) {
                try await harness.gateway.setC2BValidation(
                    rejectUnknown: true, accountReferences: [" "], in: harness.organization, by: harness.admin)
            }
            #expect(bad?.param == "account_references")
            let manager = EngineHarness.member(.manager, of: harness.organization)
            let forbidden = await #expect(throws: EngineError.self) {
                try await harness.gateway.setC2BValidation(
                    rejectUnknown: false, accountReferences: [], in: harness.organization, by: manager)
            }
            #expect(forbidden?.code == .forbidden)
        }
    }
}
