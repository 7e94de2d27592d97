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
        // Far below the 60 s wait, even when a loaded machine runs the task late.
        await wake.wait(ms: 60_000)  // the signal given before the wait
        #expect(clock.now - start < .seconds(40))
        start = clock.now
        async let waited: Void = wake.wait(ms: 60_000)
        try await Task.sleep(for: .milliseconds(50))
        wake.signal()
        await waited
        #expect(clock.now - start < .seconds(40))
        start = clock.now
        await wake.wait(ms: 30)
        #expect(clock.now - start >= .milliseconds(30))
    }
}

/// What the dispatcher counts: deliveries taken (never picked twice until journaled), ready to send, and being
/// sent (the limits); a worker's slot passes straight to the next ready delivery.
@Suite struct WebhookFlightsTests {
    static func ready(_ n: UInt8) throws -> ReadyWebhookDelivery {
        let event = EventID(randomBytes: Array(repeating: 9, count: 16)).rawValue
        let endpoint = WebhookEndpointID(randomBytes: Array(repeating: 8, count: 16)).rawValue
        let delivery = WebhookDeliveryID(randomBytes: Array(repeating: n, count: 16)).rawValue
        func decoded<T: Decodable>(_ json: String) throws -> T {
            try JSONDecoder().decode(T.self, from: Data(json.utf8))
        }
        return ReadyWebhookDelivery(
            organization: OrganizationID(randomBytes: Array(repeating: 7, count: 16)),
            delivery: try decoded(
                """
                {"id":"\(delivery)","event_id":"\(event)","endpoint_id":"\(endpoint)","status":"pending",
                "attempts":[],"scheduled_attempts":0,"next_attempt_at_ms":1,"created_at_ms":1,"updated_at_ms":1}
                """),
            event: try decoded(
                #"{"id":"\#(event)","type":"ping","subject":"ping","created_at_ms":1,"deliveries":["\#(delivery)"]}"#),
            endpoint: try decoded(
                """
                {"id":"\(endpoint)","url":"http://127.0.0.1:9/","events":[],"enabled":true,"secret_hint":"whsec_x",
                "created_at_ms":1,"updated_at_ms":1}
                """),
            body: [])
    }

    @Test func aSlotPassesToTheNextReadyDeliveryAndADeliveryStaysTakenUntilJournaled() throws {
        let flights = WebhookFlights()
        let (a, b, c) = (try Self.ready(1), try Self.ready(2), try Self.ready(3))
        flights.add([a, b, c, a], tenant: "t")
        flights.add([b], tenant: "t")  // already taken: not ready twice
        #expect(flights.readyCount("t") == 3 && flights.ids("t").count == 3)
        let first = try #require(flights.startNext(tenant: "t", perTenantMax: 1, totalMax: 64))
        #expect(first.delivery.id == a.delivery.id)
        #expect(flights.startNext(tenant: "t", perTenantMax: 1, totalMax: 64) == nil)  // one slot, taken
        #expect(flights.count("t") == 1 && flights.total == 1)
        // The answer came: the slot goes to the next ready one; the first stays taken until journaled.
        #expect(flights.continueWith(after: a.delivery.id, tenant: "t")?.delivery.id == b.delivery.id)
        #expect(flights.count("t") == 1 && flights.total == 1 && flights.readyCount("t") == 1)
        flights.end(a.delivery.id, tenant: "t")
        #expect(flights.ids("t") == [b.delivery.id, c.delivery.id])
        #expect(flights.continueWith(after: b.delivery.id, tenant: "t")?.delivery.id == c.delivery.id)
        #expect(flights.continueWith(after: c.delivery.id, tenant: "t") == nil)  // nothing ready: the slot frees
        #expect(flights.count("t") == 0 && flights.total == 0)
        flights.end(b.delivery.id, tenant: "t")
        flights.end(c.delivery.id, tenant: "t")
        #expect(flights.ids("t").isEmpty)
        // An endpoint that answered 410: its ready deliveries are held back, still taken.
        flights.add([try Self.ready(4), try Self.ready(5)], tenant: "t")
        #expect(flights.holdBack(endpoint: a.endpoint.id, tenant: "t").count == 2)
        #expect(flights.readyCount("t") == 0 && flights.ids("t").count == 2)
        // The instance limit holds across tenants.
        flights.add([a], tenant: "u")
        #expect(flights.startNext(tenant: "u", perTenantMax: 8, totalMax: 0) == nil)
    }
}
