import Foundation
import Hummingbird
import PesaCore
import PesaEngine
@testable import PesaAPI
import Testing

/// The hand-written answers must be the JSON the encoder would have written.
@Suite struct JSONWriterTests {
    static let tricky = "quote \" backslash \\ slash / newline \n tab \t bell \u{07} unicode é 🇰🇪"

    func object(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    func encoded(_ value: some Encodable) throws -> NSDictionary {
        try object(Array(try PesaRequestContext.sharedResponseEncoder.encode(value)))
    }

    func written(_ value: some JSONWritable) throws -> NSDictionary {
        var json = JSONWriter()
        value.write(to: &json)
        #expect(!String(decoding: json.bytes, as: UTF8.self).contains("\\/"))
        return try object(json.bytes)
    }

    static let organization = OrganizationJSON(
        id: "org_1", slug: "acme", name: tricky, plan: "starter", status: "active",
        subscription: SubscriptionView(
            status: "trialing", currentPeriodStart: "2026-11-28T15:25:01.674Z",
            currentPeriodEnd: "2026-12-28T15:25:01.674Z"),
        rateLimit: nil, callbackURLBase: "https://pay.example/callbacks/acme/t0k", previousCallbackTokenValidUntil: nil,
        createdAt: "c", updatedAt: "u")

    static func payment(
        events: [PaymentEventJSON]?, amount: ShillingsJSON = 10, receipt: String? = "RCP1",
        reconciliation: ReconciliationJSON? = nil
    ) -> PaymentJSON {
        PaymentJSON(
            id: "pay_1", type: "stk_push", status: "succeeded", amount: amount, phone: "254708374149",
            accountReference: tricky, description: nil, remarks: "Refund", command: "business_payment",
            checkoutRequestID: "ws_CO_1", merchantRequestID: nil, conversationID: "AG_1", originatorConversationID: nil,
            originalPaymentID: "pay_0", reversedReceipt: nil, batchID: nil, shortCode: NullableJSON("174379"),
            shortCodeID: NullableJSON(receipt == nil ? nil : "sc_1"), mpesaReceipt: NullableJSON(receipt),
            receiptPending: receipt == nil, amountReversed: receipt == nil ? nil : 5, resultCode: "0",
            resultDesc: "The service request is processed successfully.", reconciliation: reconciliation,
            createdAt: "c", updatedAt: "u", events: events)
    }

    @Test func organizationsAndPaymentsAreWrittenAsTheEncoderWouldWriteThem() throws {
        #expect(try written(Self.organization) == encoded(Self.organization))
        var limited = Self.organization
        limited = OrganizationJSON(
            id: limited.id, slug: limited.slug, name: "Acme", plan: limited.plan, status: limited.status,
            subscription: limited.subscription, rateLimit: 600, callbackURLBase: limited.callbackURLBase,
            previousCallbackTokenValidUntil: "2026-12-01T00:00:00.000Z", createdAt: limited.createdAt,
            updatedAt: limited.updatedAt)
        #expect(try written(limited) == encoded(limited))
        for events in [nil, [], [PaymentEventJSON(type: "payment.settled", at: "t", seq: 7, detail: Self.tricky)]] {
            let payment = Self.payment(events: events)
            #expect(try written(payment) == encoded(payment))
        }
        // A success awaiting its receipt, with its reconciliation (next look due, or none).
        for next in [Int64(1_780_000_000_000), nil] {
            let reconciliation = ReconciliationJSON(
                ReconciliationView(attempts: 2, nextAtMs: next, reason: "receipt_pending"))
            let payment = Self.payment(events: nil, receipt: nil, reconciliation: reconciliation)
            #expect(try written(payment) == encoded(payment))
        }
        // Amounts with cents (a C2B confirmation may have them) are numbers with their cents, never cut.
        for (minorUnits, text) in [(1_050, "10.5"), (1_005, "10.05"), (1_000, "10"), (1, "0.01"), (99, "0.99")] {
            let amount = ShillingsJSON(Amount(minorUnits: Int64(minorUnits)))
            #expect(amount.text == text)
            let payment = Self.payment(events: nil, amount: amount)
            #expect(try written(payment) == encoded(payment))
            #expect(try written(payment)["amount"] as? NSNumber == NSNumber(value: Double(minorUnits) / 100))
        }
    }

    @Test func listsOfWritableItemsAreWrittenWithANullCursorOnTheLastPage() throws {
        let request = Request(
            head: .init(method: .get, scheme: "http", authority: "x", path: "/"), body: .init(buffer: .init()))
        let context = PesaRequestContextFixture.make()
        for page in [
            ListResponse(data: [Self.payment(events: nil), Self.payment(events: nil)], nextCursor: nil),
            ListResponse(data: [PaymentJSON](), nextCursor: nil),
        ] {
            let response = try page.response(from: request, context: context)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let written = try written(ListResponse<PaymentJSON>.Page(items: page.data, nextCursor: nil))
            #expect(written == (try encoded(page)))
            #expect(written["next_cursor"] is NSNull)
            #expect(response.headers[.contentLength] != nil)
        }
    }
}
