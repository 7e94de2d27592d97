import Foundation
import Logging
import NIOHTTP1
import PesaCore
import PesaTesting
import Testing

@testable import PesaEngine

/// Webhooks end to end inside the engine: a settled payment becomes an event in the same write, delivered to
/// the organization's endpoint signed the Standard Webhooks way; failures are retried on the schedule with the
/// same `webhook-id`; `410 Gone` disables the endpoint; another organization sees nothing.
@Suite(.serialized) struct WebhookDeliveryTests {
    static func deliverDue(_ harness: PaymentsHarness) async -> Int {
        let (due, _) = await harness.gateway.dueWebhookDeliveries(
            harness.organization, nowMs: harness.gateway.clock.nowMs(), max: 10, excluding: [])
        for delivery in due {
            await harness.gateway.deliverWebhook(
                delivery, in: harness.organization, client: WebhookHTTPClient(), renderer: MinimalWebhookRenderer(),
                logger: .init(label: "test"))
        }
        return due.count
    }

    @Test func aSettledPushIsDeliveredSignedAndAFailureIsRetriedWithTheSameID() async throws {
        let ok = WebhookReceiver.Answer.respond(status: 200, headers: [], body: [])
        try await WebhookHTTPClientTests.withReceiver(ok) { receiver in
            try await PaymentsHarness.run { harness in
                let made = try await harness.gateway.createWebhookEndpoint(
                    WebhookEndpointInput(url: "http://127.0.0.1:\(receiver.port)/hooks", events: ["payment.succeeded"]),
                    in: harness.organization, by: harness.admin)
                #expect(made.secret.hasPrefix("whsec_") && made.endpoint.secretHint.hasPrefix("whsec_"))
                let push = try await harness.push("254708374149", amount: 20)
                _ = try await harness.deliverCallbacks(count: 1)
                let events = try await harness.gateway.webhookEvents(
                    type: nil, after: nil, limit: 10, in: harness.organization, by: harness.admin)
                let event = try #require(events.items.first)
                #expect(event.type == .paymentSucceeded && event.subjectID == push.payment.id.rawValue)
                #expect(await Self.deliverDue(harness) == 1)
                let request = try #require(receiver.received.first)
                #expect(request.head.headers["webhook-id"].first == event.id.rawValue)
                let timestamp = try #require(Int64(request.head.headers["webhook-timestamp"].first ?? ""))
                let signature = try #require(request.head.headers["webhook-signature"].first)
                #expect(
                    WebhookSignature.verify(
                        header: signature, id: event.id.rawValue, timestampSeconds: timestamp, body: request.body,
                        secret: try WebhookSecret(text: made.secret)))
                let delivered = try await harness.gateway.webhookDeliveries(
                    WebhookDeliveryFilter(), after: nil, limit: 10, in: harness.organization, by: harness.admin)
                #expect(delivered.items.map(\.delivery.status) == [.succeeded])
                #expect(await Self.deliverDue(harness) == 0)  // nothing is sent twice after a success
                let usage = try await harness.gateway.usage(month: nil, in: harness.organization, by: harness.admin)
                #expect(usage.webhooksDelivered == 1)  // metered for billing
                // Another organization sees neither the endpoint nor the event.
                let other = EngineHarness.member(
                    .orgAdmin,
                    of: try await harness.gateway.createOrganization(
                        name: "Other", slug: "other", plan: "starter", by: EngineHarness.superAdmin
                    ).record.id)
                await #expect(throws: EngineError.self) {
                    _ = try await harness.gateway.webhookEvent(
                        event.id.rawValue, in: harness.organization, by: other)
                }
            }
        }
        let failing = WebhookReceiver.Answer.respond(status: 500, headers: [], body: [])
        try await WebhookHTTPClientTests.withReceiver(failing) { receiver in
            try await PaymentsHarness.run { harness in
                let made = try await harness.gateway.createWebhookEndpoint(
                    WebhookEndpointInput(url: "http://127.0.0.1:\(receiver.port)/hooks"), in: harness.organization,
                    by: harness.admin)
                let ping = try await harness.gateway.sendWebhookTest(
                    made.endpoint.id.rawValue, in: harness.organization, by: harness.admin)
                #expect(await Self.deliverDue(harness) == 1)
                let after = try await harness.gateway.webhookEvent(
                    ping.id.rawValue, in: harness.organization, by: harness.admin)
                let delivery = try #require(after.deliveries.first)
                #expect(delivery.status == .pending && delivery.attempts.first?.statusCode == 500)
                let next = try #require(delivery.nextAttemptAtMs)
                #expect(next - (delivery.attempts.first?.atMs ?? 0) >= 4_000)  // 5 s after the first attempt
                #expect(await Self.deliverDue(harness) == 0)  // not before it is due
                // A retry by hand goes out at once, with the same webhook-id.
                await #expect(throws: EngineError.self) {  // still pending: 409
                    _ = try await harness.gateway.retryWebhookDelivery(
                        delivery.id.rawValue, in: harness.organization, by: harness.admin)
                }
                _ = receiver
            }
        }
    }

    @Test func aGoneEndpointIsDisabledAndAnUnsafeURLIsRefused() async throws {
        let gone = WebhookReceiver.Answer.respond(status: 410, headers: [], body: [])
        try await WebhookHTTPClientTests.withReceiver(gone) { receiver in
            try await PaymentsHarness.run { harness in
                let made = try await harness.gateway.createWebhookEndpoint(
                    WebhookEndpointInput(url: "http://127.0.0.1:\(receiver.port)/gone"), in: harness.organization,
                    by: harness.admin)
                _ = try await harness.gateway.sendWebhookTest(
                    made.endpoint.id.rawValue, in: harness.organization, by: harness.admin)
                #expect(await Self.deliverDue(harness) == 1)
                let endpoint = try await harness.gateway.webhookEndpoint(
                    made.endpoint.id.rawValue, in: harness.organization, by: harness.admin)
                #expect(!endpoint.enabled && endpoint.disabledReason == "the endpoint answered 410 Gone")
                let failed = try await harness.gateway.webhookDeliveries(
                    WebhookDeliveryFilter(status: .failed), after: nil, limit: 10, in: harness.organization,
                    by: harness.admin)
                #expect(failed.items.count == 1)
                // Enabled again, a recovery over the window sends the failed delivery again.
                _ = try await harness.gateway.updateWebhookEndpoint(
                    made.endpoint.id.rawValue, WebhookEndpointInput(enabled: true), in: harness.organization,
                    by: harness.admin)
                let recovered = try await harness.gateway.recoverWebhookDeliveries(
                    endpoint: made.endpoint.id.rawValue, sinceMs: 0, untilMs: nil, in: harness.organization,
                    by: harness.admin)
                #expect(recovered == 1)
                #expect(receiver.received.count == 1)
            }
        }
        try await PaymentsHarness.run { harness in
            // The harness allows private addresses; a URL must still be http(s) with a host.
            let refused = await #expect(throws: EngineError.self) {
                _ = try await harness.gateway.createWebhookEndpoint(
                    WebhookEndpointInput(url: "ftp://example.com/x"), in: harness.organization, by: harness.admin)
            }
            #expect(refused?.param == "url")
        }
    }

    @Test func anEndpointFailingForFiveDaysIsDisabledAndTheOthersAreTold() async throws {
        let start: Int64 = 1_780_000_000_000
        let clock = SettableClock(start)
        let failing = WebhookReceiver.Answer.respond(status: 500, headers: [], body: [])
        let ok = WebhookReceiver.Answer.respond(status: 200, headers: [], body: [])
        try await WebhookHTTPClientTests.withReceiver(failing) { bad in
            try await WebhookHTTPClientTests.withReceiver(ok) { good in
                try await PaymentsHarness.run(clock: clock) { harness in
                    let broken = try await harness.gateway.createWebhookEndpoint(
                        WebhookEndpointInput(url: "http://127.0.0.1:\(bad.port)/"), in: harness.organization,
                        by: harness.admin)
                    _ = try await harness.gateway.createWebhookEndpoint(
                        WebhookEndpointInput(url: "http://127.0.0.1:\(good.port)/"), in: harness.organization,
                        by: harness.admin)
                    let id = broken.endpoint.id.rawValue
                    _ = try await harness.gateway.sendWebhookTest(id, in: harness.organization, by: harness.admin)
                    #expect(await Self.deliverDue(harness) == 1)
                    var endpoint = try await harness.gateway.webhookEndpoint(
                        id, in: harness.organization, by: harness.admin)
                    #expect(endpoint.enabled && endpoint.failingSinceMs == start)
                    // Five days later, still failing: the endpoint is disabled, its delivery given up.
                    clock.set(start + Limits.webhookFailingDisableMs + 1_000)
                    _ = try await harness.gateway.sendWebhookTest(id, in: harness.organization, by: harness.admin)
                    #expect(await Self.deliverDue(harness) == 2)
                    endpoint = try await harness.gateway.webhookEndpoint(
                        id, in: harness.organization, by: harness.admin)
                    #expect(!endpoint.enabled && endpoint.disabledReason == "every attempt failed for 5 days")
                    let pending = try await harness.gateway.webhookDeliveries(
                        WebhookDeliveryFilter(status: .pending, endpoint: broken.endpoint.id), after: nil, limit: 10,
                        in: harness.organization, by: harness.admin)
                    #expect(pending.items.isEmpty)
                    let told = try await harness.gateway.webhookEvents(
                        type: .endpointDisabled, after: nil, limit: 10, in: harness.organization, by: harness.admin)
                    #expect(told.items.first?.subjectID == id && told.items.first?.deliveries.count == 1)
                    #expect(await Self.deliverDue(harness) == 1)  // the notice, to the other endpoint
                    #expect(good.received.count == 1)
                    let audit = try await harness.gateway.auditLog(
                        in: harness.organization, after: 0, limit: 10,
                        filter: AuditFilter(action: "webhook.disable"), by: harness.admin)
                    #expect(audit.entries.map(\.target) == ["\(id) every attempt failed for 5 days"])
                }
            }
        }
    }

    /// The pending deliveries are listed from their index: newest first, paged without loss or repeat, filtered by
    /// endpoint, and the same deliveries as the full list filtered by status.
    @Test func pendingDeliveriesArePagedNewestFirstFromTheirIndex() async throws {
        let clock = SettableClock(1_780_000_000_000)
        try await PaymentsHarness.run(clock: clock) { harness in
            var endpoints: [WebhookEndpointID] = []
            for port in [9, 10] {
                endpoints.append(
                    try await harness.gateway.createWebhookEndpoint(
                        WebhookEndpointInput(url: "http://127.0.0.1:\(port)/"), in: harness.organization,
                        by: harness.admin
                    ).endpoint.id)
            }
            for n in 0..<7 {
                clock.set(1_780_000_000_000 + Int64(n) * 1_000)
                _ = try await harness.gateway.sendWebhookTest(
                    endpoints[n % 3 == 0 ? 1 : 0].rawValue, in: harness.organization, by: harness.admin)
            }
            func all(_ filter: WebhookDeliveryFilter) async throws -> [WebhookDeliveryRecord] {
                var found: [WebhookDeliveryRecord] = []
                var cursor: String?
                while true {
                    let page = try await harness.gateway.webhookDeliveries(
                        filter, after: cursor, limit: 2, in: harness.organization, by: harness.admin)
                    found += page.items.map(\.delivery)
                    #expect(page.items.count == 2 || !page.more)
                    guard page.more, let last = page.items.last else { return found }
                    cursor = last.delivery.id.rawValue
                }
            }
            let pending = try await all(WebhookDeliveryFilter(status: .pending))
            #expect(pending.count == 7 && Set(pending.map(\.id)).count == 7)
            #expect(pending.map(\.createdAtMs) == pending.map(\.createdAtMs).sorted(by: >))
            #expect(pending.map(\.id) == (try await all(WebhookDeliveryFilter())).map(\.id))
            let second = try await all(WebhookDeliveryFilter(status: .pending, endpoint: endpoints[1]))
            #expect(second.count == 3 && second.allSatisfy { $0.endpointID == endpoints[1] })
            #expect(try await all(WebhookDeliveryFilter(status: .succeeded)).isEmpty)
        }
    }
}
