import Foundation
import PesaTesting
import Testing

/// Webhooks through the real `pesa serve` and a scripted receiver on loopback: a payment's event arrives signed
/// the Standard Webhooks way, failures are retried on the schedule (a longer `Retry-After` honoured), a SIGKILL
/// in the middle of the schedule loses nothing and sends nothing twice, rotation signs with both secrets, and a
/// `410 Gone` disables the endpoint until it is enabled and its deliveries recovered.
@Suite(.serialized) struct WebhookEndToEndTests {
    typealias World = WebhookWorld

    @Test func aSucceededPaymentIsDeliveredSignedAndLogged() async throws {
        let world = try await World.start("e2e-webhook-payment")
        defer { world.stop() }
        try await WebhookReceiverServer.run { receiver in
            let endpoint = try await world.createEndpoint(try await receiver.url())
            let (pushed, payment) = try await world.server.request(
                "POST", "/v1/payments/stk-push", token: world.key,
                json: ["phone": "0708374149", "amount": 10, "account_reference": "INV-W1", "description": "Hook"])
            #expect(pushed == 201)
            let paymentID = try #require(payment?["id"] as? String)
            let settled = try await PaymentEndToEndTests().waitForStatus(world.server, paymentID, key: world.key)
            #expect(settled["status"] as? String == "succeeded")

            let arrived = await receiver.wait(for: 1) { World.body($0)["type"] as? String == "payment.succeeded" }
            let request = try #require(arrived.first, "no payment.succeeded arrived: \(receiver.received)")
            #expect(request.method == "POST")
            #expect(request.path == "/hooks")
            #expect(request.header("content-type")?.hasPrefix("application/json") == true)
            let eventID = try #require(request.header("webhook-id"))
            #expect(eventID.hasPrefix("evt_"))
            let timestamp = try #require(request.header("webhook-timestamp").flatMap { Double($0) })
            #expect(abs(timestamp - Date().timeIntervalSince1970) < 60)
            // The signature verifies with the secret the endpoint was given, and with no other.
            #expect(World.validSignatures(request, secret: endpoint.secret) == [0])
            let stranger = "whsec_" + Data((0..<24).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            #expect(World.validSignatures(request, secret: stranger).isEmpty)
            let signature = try #require(request.header("webhook-signature"))
            #expect(signature.split(separator: " ").count == 1)

            let body = World.body(request)
            #expect(body["id"] as? String == eventID)
            #expect(World.date(body["created_at"]) != nil)
            let data = try #require(body["data"] as? [String: Any])
            #expect(data["id"] as? String == paymentID)
            #expect(data["status"] as? String == "succeeded")
            #expect(data["mpesa_receipt"] as? String == settled["mpesa_receipt"] as? String)

            let (_, events) = try await world.server.request("GET", "/v1/events", token: world.admin)
            let listed = try #require(World.data(events).first { $0["id"] as? String == eventID })
            #expect(listed["type"] as? String == "payment.succeeded")
            #expect(listed["object"] as? String == "payment")
            #expect(listed["object_id"] as? String == paymentID)
            let delivery = try await world.delivery(ofEvent: eventID) { $0["status"] as? String == "succeeded" }
            #expect(World.codes(delivery) == [200])
            #expect(delivery["endpoint_id"] as? String == endpoint.id)
            #expect(delivery["webhook_id"] as? String == eventID)
            #expect(delivery["next_attempt_at"] is NSNull || delivery["next_attempt_at"] == nil)
            let (_, read) = try await world.server.request("GET", "/v1/events/\(eventID)", token: world.admin)
            #expect((read?["deliveries"] as? [[String: Any]])?.first?["status"] as? String == "succeeded")
            #expect(receiver.received(webhookID: eventID).count == 1)
        }
    }

    @Test func failuresAreRetriedOnTheScheduleAndALongerRetryAfterIsHonoured() async throws {
        let world = try await World.start("e2e-webhook-retry")
        defer { world.stop() }
        try await WebhookReceiverServer.run { receiver in
            let endpoint = try await world.createEndpoint(try await receiver.url())

            // A 500: the second attempt follows 5 s later, with the same webhook-id, and succeeds.
            receiver.enqueue(.init(status: 500))
            let first = try await world.ping(endpoint.id)
            let retried = await receiver.wait(for: 2, timeout: .seconds(20)) { $0.header("webhook-id") == first }
            try #require(retried.count == 2, "\(receiver.received.map(\.answeredStatus))")
            #expect(retried.map(\.answeredStatus) == [500, 200])
            let gap = retried[1].arrivedAt.timeIntervalSince(retried[0].arrivedAt)
            #expect(gap >= 5 && gap < 8, "second attempt after \(gap) s")
            #expect(World.body(retried[0])["id"] as? String == World.body(retried[1])["id"] as? String)
            for request in retried { #expect(World.validSignatures(request, secret: endpoint.secret) == [0]) }
            let done = try await world.delivery(ofEvent: first) { $0["status"] as? String == "succeeded" }
            #expect(World.codes(done) == [500, 200])

            // A 503 asking for 8 s: the next attempt waits those 8 s rather than the schedule's 5 s.
            receiver.enqueue(.init(status: 503, headers: ["Retry-After": "8"]))
            let second = try await world.ping(endpoint.id)
            let waiting = try await world.delivery(ofEvent: second) { World.codes($0) == [503] }
            #expect(waiting["status"] as? String == "pending")
            let attemptAt = try #require(World.date((waiting["attempts"] as? [[String: Any]])?.first?["at"]))
            let nextAt = try #require(World.date(waiting["next_attempt_at"]))
            #expect(nextAt.timeIntervalSince(attemptAt) >= 8)
            let throttled = await receiver.wait(for: 2, timeout: .seconds(20)) { $0.header("webhook-id") == second }
            try #require(throttled.count == 2, "\(receiver.received.map(\.answeredStatus))")
            #expect(throttled.map(\.answeredStatus) == [503, 200])
            let wait = throttled[1].arrivedAt.timeIntervalSince(throttled[0].arrivedAt)
            #expect(wait >= 8 && wait < 15, "attempt after Retry-After came \(wait) s later")
            let after = try await world.delivery(ofEvent: second) { $0["status"] as? String == "succeeded" }
            #expect(World.codes(after) == [503, 200])
            #expect(receiver.received.count == 4)
        }
    }

    @Test func aSIGKILLInTheRetryScheduleNeitherLosesNorRepeatsADelivery() async throws {
        let world = try await World.start("e2e-webhook-kill")
        defer { world.stop() }
        try await WebhookReceiverServer.run { receiver in
            let endpoint = try await world.createEndpoint(try await receiver.url())
            receiver.enqueue(.init(status: 500))
            let event = try await world.ping(endpoint.id)
            let failed = await receiver.wait(for: 1) { $0.header("webhook-id") == event }
            try #require(failed.count == 1)
            // Once the failed attempt is journaled (the next one due 5 s later), the gateway dies.
            let pending = try await world.delivery(ofEvent: event) { World.codes($0) == [500] }
            #expect(pending["status"] as? String == "pending")
            #expect(pending["next_attempt_at"] as? String != nil)
            world.server.stop(kill: true)
            try await world.server.start(["--demo"])

            let both = await receiver.wait(for: 2, timeout: .seconds(30)) { $0.header("webhook-id") == event }
            try #require(both.count == 2, "no attempt after the restart: \(receiver.received.map(\.answeredStatus))")
            #expect(both.map(\.answeredStatus) == [500, 200])
            #expect(both[1].arrivedAt.timeIntervalSince(both[0].arrivedAt) >= 5)
            #expect(World.validSignatures(both[1], secret: endpoint.secret) == [0])
            let done = try await world.delivery(ofEvent: event) { $0["status"] as? String == "succeeded" }
            #expect(World.codes(done) == [500, 200])
            // Never again after the success.
            try await World.expectQuiet(receiver, event: event, count: 2, seconds: 4)
            #expect(receiver.received.count == 2)
            let (_, again) = try await world.server.request(
                "GET", "/v1/webhook-deliveries?event=\(event)", token: world.admin)
            #expect(World.data(again).first?["status"] as? String == "succeeded")
        }
    }

    @Test func rotationSignsWithTheOldAndTheNewSecret() async throws {
        let world = try await World.start("e2e-webhook-rotate")
        defer { world.stop() }
        try await WebhookReceiverServer.run { receiver in
            let endpoint = try await world.createEndpoint(try await receiver.url())
            let before = try await world.ping(endpoint.id)
            let plain = try #require(await receiver.wait(for: 1) { $0.header("webhook-id") == before }.first)
            #expect(World.validSignatures(plain, secret: endpoint.secret) == [0])

            let (rotated, answer) = try await world.server.request(
                "POST", "/v1/webhook-endpoints/\(endpoint.id)/rotate-secret", token: world.admin)
            #expect(rotated == 200)
            let newSecret = try #require(answer?["secret"] as? String)
            #expect(newSecret.hasPrefix("whsec_") && newSecret != endpoint.secret)
            let overlap = try #require(World.date(answer?["previous_secret_valid_until"]))
            #expect(overlap > Date().addingTimeInterval(23 * 3600))

            let after = try await world.ping(endpoint.id)
            let signed = try #require(await receiver.wait(for: 1) { $0.header("webhook-id") == after }.first)
            let entries = try #require(signed.header("webhook-signature")).split(separator: " ")
            #expect(entries.count == 2)
            #expect(entries.allSatisfy { $0.hasPrefix("v1,") })
            let byNew = World.validSignatures(signed, secret: newSecret)
            let byOld = World.validSignatures(signed, secret: endpoint.secret)
            #expect(byNew.count == 1 && byOld.count == 1)
            #expect(Set(byNew + byOld) == [0, 1])
            // The secret shown at rotation is the one the endpoint reads back as its hint.
            let (_, read) = try await world.server.request(
                "GET", "/v1/webhook-endpoints/\(endpoint.id)", token: world.admin)
            #expect(read?["secret"] == nil || read?["secret"] is NSNull)
            #expect(read?["secret_hint"] as? String == "whsec_…" + String(newSecret.suffix(4)))
        }
    }

    @Test func a410DisablesTheEndpointUntilItIsEnabledAndRecovered() async throws {
        let world = try await World.start("e2e-webhook-gone")
        defer { world.stop() }
        try await WebhookReceiverServer.run { receiver in
            let endpoint = try await world.createEndpoint(try await receiver.url())
            let since = Date().addingTimeInterval(-2)
            receiver.enqueue(.init(status: 410))
            let event = try await world.ping(endpoint.id)
            let gone = try await world.delivery(ofEvent: event) { $0["status"] as? String == "failed" }
            #expect(World.codes(gone) == [410])
            let read = try await world.poll("/v1/webhook-endpoints/\(endpoint.id)") { $0["enabled"] as? Bool == false }
            #expect(read["disabled_reason"] as? String == "the endpoint answered 410 Gone")
            let (_, audit) = try await world.server.request(
                "GET", "/v1/audit-log?action=webhook.disable", token: world.admin)
            let entry = try #require(World.data(audit).first, "\(String(describing: audit))")
            #expect(entry["actor"] as? String == "system")
            #expect((entry["target"] as? String)?.contains(endpoint.id) == true)
            #expect(receiver.received.count == 1)

            // Disabled: no recovery, no test ping, until it is enabled again.
            let body = ["since": ISO8601DateFormatter().string(from: since)]
            let recoverPath = "/v1/webhook-endpoints/\(endpoint.id)/recover"
            #expect(try await world.server.request("POST", recoverPath, token: world.admin, json: body).0 == 409)
            let (enabled, patched) = try await world.server.request(
                "PATCH", "/v1/webhook-endpoints/\(endpoint.id)", token: world.admin, json: ["enabled": true])
            #expect(enabled == 200)
            #expect(patched?["enabled"] as? Bool == true)
            #expect(patched?["disabled_reason"] == nil || patched?["disabled_reason"] is NSNull)
            let (recovered, count) = try await world.server.request(
                "POST", recoverPath, token: world.admin, json: body)
            #expect(recovered == 200)
            #expect(count?["recovered"] as? Int == 1)

            let resent = await receiver.wait(for: 2) { $0.header("webhook-id") == event }
            try #require(resent.count == 2, "\(receiver.received.map(\.answeredStatus))")
            #expect(resent.map(\.answeredStatus) == [410, 200])
            #expect(World.validSignatures(resent[1], secret: endpoint.secret) == [0])
            let done = try await world.delivery(ofEvent: event) { $0["status"] as? String == "succeeded" }
            #expect(World.codes(done) == [410, 200])
        }
    }
}
