import Foundation
import Logging
import NIOHTTP1
import PesaCore
import Testing

@testable import PesaEngine

/// The dispatcher as a service: a slot freed by a delivery that ended is taken again at once, not at the next
/// tick, so a fast endpoint gets its deliveries as fast as it answers.
@Suite(.serialized) struct WebhookDispatcherTests {
    @Test func aFreedSlotIsTakenAtOnceNotAtTheNextTick() async throws {
        let ok = WebhookReceiver.Answer.respond(status: 200, headers: [], body: [])
        try await WebhookHTTPClientTests.withReceiver(ok) { receiver in
            try await PaymentsHarness.run { harness in
                let made = try await harness.gateway.createWebhookEndpoint(
                    WebhookEndpointInput(url: "http://127.0.0.1:\(receiver.port)/hooks"), in: harness.organization,
                    by: harness.admin)
                let count = 12
                for _ in 0..<count {
                    _ = try await harness.gateway.sendWebhookTest(
                        made.endpoint.id.rawValue, in: harness.organization, by: harness.admin)
                }
                // Two slots and a tick of a minute: ticks alone would send 2 now and 2 a minute later.
                let dispatcher = WebhookDispatcher(
                    gateway: harness.gateway, client: WebhookHTTPClient(), renderer: MinimalWebhookRenderer(),
                    tickMs: 60_000, perOrganizationMax: 2, logger: Logger(label: "test"))
                let running = Task { try await dispatcher.run() }
                let deadline = Date().addingTimeInterval(20)
                while receiver.received.count < count && Date() < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                running.cancel()
                _ = try? await running.value
                #expect(receiver.received.count == count)
                let ids = Set(receiver.received.compactMap { $0.head.headers["webhook-id"].first })
                #expect(ids.count == count, "each ping once")
            }
        }
    }

    /// The signing secrets are read from the vault once per credentials generation: a rotation (a vault write)
    /// is seen by the very next delivery, signed with the new secret and the previous one.
    @Test func aRotatedSecretSignsTheNextDeliveryAtOnce() async throws {
        let ok = WebhookReceiver.Answer.respond(status: 200, headers: [], body: [])
        try await WebhookHTTPClientTests.withReceiver(ok) { receiver in
            try await PaymentsHarness.run { harness in
                let made = try await harness.gateway.createWebhookEndpoint(
                    WebhookEndpointInput(url: "http://127.0.0.1:\(receiver.port)/hooks"), in: harness.organization,
                    by: harness.admin)
                let id = made.endpoint.id.rawValue
                _ = try await harness.gateway.sendWebhookTest(id, in: harness.organization, by: harness.admin)
                #expect(await WebhookDeliveryTests.deliverDue(harness) == 1)  // reads and caches the secret
                let rotated = try await harness.gateway.rotateWebhookSecret(
                    id, in: harness.organization, by: harness.admin)
                _ = try await harness.gateway.sendWebhookTest(id, in: harness.organization, by: harness.admin)
                #expect(await WebhookDeliveryTests.deliverDue(harness) == 1)
                let requests = receiver.received
                try #require(requests.count == 2)
                func verifies(_ request: WebhookReceiver.Request, _ secret: String) throws -> Bool {
                    let headers = request.head.headers
                    return WebhookSignature.verify(
                        header: headers["webhook-signature"].first ?? "", id: headers["webhook-id"].first ?? "",
                        timestampSeconds: Int64(headers["webhook-timestamp"].first ?? "") ?? 0, body: request.body,
                        secret: try WebhookSecret(text: secret))
                }
                #expect(try verifies(requests[0], made.secret) && !verifies(requests[0], rotated.secret))
                #expect(try verifies(requests[1], rotated.secret) && verifies(requests[1], made.secret))
            }
        }
    }

    @Test func aWaitEndsAtASignalGivenBeforeOrDuringItAndAtItsTimeout() async throws {
        let wake = WebhookWake()
        let clock = ContinuousClock()
        wake.signal()
        var start = clock.now
        await wake.wait(ms: 60_000)  // the signal given before the wait
        #expect(clock.now - start < .seconds(10))
        start = clock.now
        async let waited: Void = wake.wait(ms: 60_000)
        try await Task.sleep(for: .milliseconds(50))
        wake.signal()
        await waited
        #expect(clock.now - start < .seconds(10))
        start = clock.now
        await wake.wait(ms: 30)
        #expect(clock.now - start >= .milliseconds(30))
    }
}

/// What the dispatcher counts: requests open (the limits), and deliveries taken until journaled (never picked
/// twice).
@Suite struct WebhookFlightsTests {
    @Test func aSlotFreesAtTheAnswerWhileTheDeliveryStaysTakenUntilJournaled() {
        let flights = WebhookFlights()
        let id = WebhookDeliveryID(randomBytes: Array(repeating: 1, count: 16))
        #expect(flights.start(id, tenant: "t"))
        #expect(!flights.start(id, tenant: "t"))
        #expect(flights.count("t") == 1 && flights.total == 1)
        flights.answered(id, tenant: "t")
        #expect(flights.count("t") == 0 && flights.total == 0)
        #expect(flights.ids("t") == [id])
        flights.end(id, tenant: "t")
        #expect(flights.ids("t").isEmpty)
        #expect(flights.start(id, tenant: "t"))
        flights.end(id, tenant: "t")  // ended without an answer (nothing to send): its slot frees too
        #expect(flights.count("t") == 0 && flights.ids("t").isEmpty)
    }
}
