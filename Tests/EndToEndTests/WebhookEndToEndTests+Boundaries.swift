import Foundation
import PesaTesting
import Testing

/// Where webhooks stop: another organization sees none of an organization's endpoints, events and deliveries and
/// never receives its events; a gateway that does not allow private addresses refuses to send to them.
extension WebhookEndToEndTests {
    @Test func anotherOrganizationSeesAndReceivesNothingOfTheFirstOnesWebhooks() async throws {
        let world = try await World.start("e2e-webhook-isolation")
        defer { world.stop() }
        let server = world.server
        let sessions = SessionEndToEndTests()
        let root = try await sessions.login(server, World.rootEmail, World.rootPassword)
        let (created, org) = try await server.request(
            "POST", "/v1/orgs", token: root, json: ["name": "Beta Traders", "slug": "beta-traders", "plan": "starter"])
        #expect(created == 201)
        let betaID = try #require(org?["id"] as? String)
        let user = ["email": "boss@beta.co.ke", "password": "beta-password-1", "role": "org_admin"]
        #expect(try await server.request("POST", "/v1/orgs/\(betaID)/users", token: root, json: user).0 == 201)
        let beta = try await sessions.login(server, "boss@beta.co.ke", "beta-password-1")

        try await WebhookReceiverServer.run { receiver in
            // Beta listens first, at its own path, so a leak of the demo's events would have somewhere to go.
            let betaEndpoint = try await world.createEndpoint(try await receiver.url("/beta"), token: beta)
            let endpoint = try await world.createEndpoint(try await receiver.url("/demo"))
            let event = try await world.ping(endpoint.id)
            let (pushed, payment) = try await server.request(
                "POST", "/v1/payments/stk-push", token: world.key,
                json: ["phone": "0708374149", "amount": 10, "account_reference": "INV-W4", "description": "Hook"])
            #expect(pushed == 201)
            let paymentID = try #require(payment?["id"] as? String)
            let succeeded = await receiver.wait(for: 1) {
                ($0.path == "/demo") && (World.body($0)["data"] as? [String: Any])?["id"] as? String == paymentID
            }
            try #require(succeeded.count == 1, "\(receiver.received.map(\.path))")
            let delivered = try await world.delivery(ofEvent: event) { $0["status"] as? String == "succeeded" }
            let deliveryID = try #require(delivered["id"] as? String)
            let paymentEvent = try #require(succeeded[0].header("webhook-id"))

            // Beta: 404 for every one of the demo's ids, on every route.
            let hook = "/v1/webhook-endpoints/\(endpoint.id)"
            let refused: [(String, String, [String: Any]?)] = [
                ("GET", hook, nil), ("PATCH", hook, ["enabled": false]), ("DELETE", hook, nil),
                ("POST", hook + "/rotate-secret", nil), ("POST", hook + "/test", nil),
                ("POST", hook + "/recover", ["since": "2020-01-01T00:00:00Z"]),
                ("GET", "/v1/events/\(event)", nil), ("GET", "/v1/events/\(paymentEvent)", nil),
                ("POST", "/v1/webhook-deliveries/\(deliveryID)/retry", nil),
            ]
            for (method, path, json) in refused {
                let (status, body) = try await server.request(method, path, token: beta, json: json)
                #expect(status == 404, "\(method) \(path)")
                #expect(World.error(body)?["code"] as? String == "NOT_FOUND", "\(method) \(path)")
            }
            // Beta's own lists hold nothing of the demo's; its one endpoint is its own.
            for path in [
                "/v1/events", "/v1/webhook-deliveries", "/v1/webhook-deliveries?event=\(event)",
                "/v1/webhook-deliveries?endpoint=\(endpoint.id)",
            ] {
                let (status, body) = try await server.request("GET", path, token: beta)
                #expect(status == 200, "\(path)")
                #expect(World.data(body).isEmpty, "\(path): \(String(describing: body))")
            }
            let (_, betaHooks) = try await server.request("GET", "/v1/webhook-endpoints", token: beta)
            #expect(World.data(betaHooks).compactMap { $0["id"] as? String } == [betaEndpoint.id])

            // The demo's endpoint is as it was, and the super admin reads it with ?org=.
            let (_, own) = try await server.request("GET", hook, token: world.admin)
            #expect(own?["enabled"] as? Bool == true)
            let (_, orgs) = try await server.request("GET", "/v1/orgs", token: root)
            let demoID = try #require(
                World.data(orgs).first { $0["slug"] as? String == "demo" }?["id"] as? String)
            #expect(try await server.request("GET", hook + "?org=\(demoID)", token: root).0 == 200)
            #expect(try await server.request("GET", hook + "?org=\(betaID)", token: root).0 == 404)
            // Nothing of the demo's ever reached Beta's endpoint.
            try await World.expectQuiet(receiver, event: event, count: 1, seconds: 1)
            #expect(receiver.received.filter { $0.path == "/beta" }.isEmpty)
            #expect(receiver.received.allSatisfy { World.validSignatures($0, secret: endpoint.secret) == [0] })
        }
    }

    @Test func privateAndMalformedURLsAreRefusedWhenPrivateAddressesAreNotAllowed() async throws {
        let world = try await World.start("e2e-webhook-ssrf", privateWebhooks: false)
        defer { world.stop() }
        let server = world.server
        let notPublic = "is not a public address"
        let cases: [(url: String, says: String)] = [
            ("http://localhost:\(server.port)/hooks", notPublic),
            ("http://127.0.0.1/", notPublic),
            ("http://[::1]/", notPublic),
            ("http://169.254.169.254/latest/meta-data", notPublic),
            ("http://10.0.0.1/", notPublic),
            ("ftp://example.com/", "must use https or http"),
            ("https://user:pass@example.com/hooks", "user name or password"),
        ]
        for (url, says) in cases {
            let (status, body) = try await server.request(
                "POST", "/v1/webhook-endpoints", token: world.admin, json: ["url": url])
            #expect(status == 422, "\(url)")
            let error = try #require(World.error(body), "\(url): \(String(describing: body))")
            #expect(error["type"] as? String == "invalid_request_error", "\(url)")
            #expect(error["code"] as? String == "INVALID_FIELD", "\(url)")
            #expect(error["param"] as? String == "url", "\(url)")
            #expect((error["message"] as? String)?.contains(says) == true, "\(url): \(error["message"] ?? "")")
            #expect((error["request_id"] as? String)?.isEmpty == false, "\(url)")
        }
        let (_, none) = try await server.request("GET", "/v1/webhook-endpoints", token: world.admin)
        #expect(World.data(none).isEmpty)

        // The refusals are the addresses', not the route's: a public address literal is taken, and changing its
        // URL to a private one is refused the same way.
        let (made, endpoint) = try await server.request(
            "POST", "/v1/webhook-endpoints", token: world.admin, json: ["url": "https://1.1.1.1/hooks"])
        #expect(made == 201, "\(String(describing: endpoint))")
        let id = try #require(endpoint?["id"] as? String)
        let (patched, refusal) = try await server.request(
            "PATCH", "/v1/webhook-endpoints/\(id)", token: world.admin, json: ["url": "http://10.0.0.1/"])
        #expect(patched == 422)
        #expect(World.error(refusal)?["param"] as? String == "url")
        let (_, kept) = try await server.request("GET", "/v1/webhook-endpoints/\(id)", token: world.admin)
        #expect(kept?["url"] as? String == "https://1.1.1.1/hooks")
        #expect(try await server.request("DELETE", "/v1/webhook-endpoints/\(id)", token: world.admin).0 == 204)
    }
}
