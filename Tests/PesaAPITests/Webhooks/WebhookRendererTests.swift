import Foundation
import PesaCore
import PesaEngine
import Testing

@testable import PesaAPI

/// The body every endpoint receives: the event's id, type and time, and the object as its route shows it.
@Suite struct WebhookRendererTests {
    static let payment = PaymentID(randomBytes: Array(repeating: 3, count: 16))
    static let endpoint = WebhookEndpointID(randomBytes: Array(repeating: 4, count: 16))
    static let event = EventID(randomBytes: Array(repeating: 5, count: 16))

    static func state() throws -> TenantState {
        var state = TenantState()
        let events: [TenantEvent] = [
            .organizationCreated(
                .init(
                    organizationID: OrganizationID(randomBytes: Array(repeating: 1, count: 16)), name: "Acme",
                    slug: try OrgSlug("acme"), plan: "starter", subscriptionStatus: .active,
                    currentPeriodStartMs: 1_700_000_000_000, currentPeriodEndMs: 1_702_592_000_000,
                    callbackToken: "cbt_0123456789")),
            .webhookEndpointCreated(
                .init(
                    endpointID: endpoint, url: "https://erp.acme.co.ke/hooks", events: [], secretHint: "whsec_…abcd")),
            .stkPushRequested(
                .init(
                    paymentID: payment, amount: Amount(shillings: 20), phone: try MSISDN("0708374149"),
                    accountReference: "INV1", description: "Order 1", transactionType: .paybill)),
            .paymentSettled(
                .init(
                    paymentID: payment, resultCode: ResultCode(0), resultDesc: "ok", mpesaReceipt: "RCP00000001",
                    source: .callback)),
            .webhookEventCreated(
                .init(
                    eventID: event, type: .paymentSucceeded, subject: .payment, subjectID: payment.rawValue,
                    deliveries: [
                        .init(
                            deliveryID: WebhookDeliveryID(randomBytes: Array(repeating: 6, count: 16)),
                            endpointID: endpoint)
                    ])),
        ]
        for (index, event) in events.enumerated() {
            try state.apply(event, seq: UInt64(index + 1), atMs: 1_764_536_400_000 + Int64(index))
        }
        return state
    }

    @Test func aPaymentEventCarriesThePaymentAsTheAPIShowsIt() throws {
        let state = try Self.state()
        let event = try #require(state.webhookEvents[Self.event])
        let renderer = APIWebhookRenderer(settings: PaymentSettings())
        let body = try #require(
            JSONSerialization.jsonObject(with: Data(renderer.body(of: event, in: state))) as? [String: Any])
        #expect(body["id"] as? String == Self.event.rawValue)
        #expect(body["type"] as? String == "payment.succeeded")
        #expect((body["created_at"] as? String)?.hasSuffix("Z") == true)
        let data = try #require(body["data"] as? [String: Any])
        #expect(data["id"] as? String == Self.payment.rawValue)
        #expect(data["status"] as? String == "succeeded")
        #expect(data["mpesa_receipt"] as? String == "RCP00000001")
        #expect(body["deliveries"] == nil && body["object"] == nil)
        // As GET /v1/events/{id} shows it: what it is about, and its deliveries.
        let document = try #require(
            JSONSerialization.jsonObject(
                with: Data(renderer.document(of: event, deliveries: Array(state.webhookDeliveries.values), in: state)))
                as? [String: Any])
        #expect(document["object"] as? String == "payment")
        #expect((document["deliveries"] as? [[String: Any]])?.first?["status"] as? String == "pending")
    }

    @Test func anObjectThatIsGoneIsNull() throws {
        var state = try Self.state()
        try state.apply(.webhookEndpointDeleted(.init(endpointID: Self.endpoint)), seq: 6, atMs: 1_764_536_500_000)
        let gone = EventID(randomBytes: Array(repeating: 8, count: 16))
        try state.apply(
            .webhookEventCreated(
                .init(
                    eventID: gone, type: .endpointDisabled, subject: .endpoint, subjectID: Self.endpoint.rawValue,
                    deliveries: [])), seq: 7, atMs: 1_764_536_500_001)
        let ping = try #require(state.webhookEvents[gone])
        let text = String(
            decoding: APIWebhookRenderer(settings: PaymentSettings()).body(of: ping, in: state), as: UTF8.self)
        #expect(text.contains("\"data\":null"))
    }
}
