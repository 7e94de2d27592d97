import Crypto
import Foundation
import PesaTesting
import Testing

/// A demo gateway (`pesa serve --demo`) whose organization's admin and API key are at hand, for the webhook
/// tests: endpoints made and read through the API, deliveries polled until they settle, and signatures checked
/// the Standard Webhooks way with HMAC-SHA256 straight from swift-crypto, not with the gateway's own code.
struct WebhookWorld {
    let server: ServerProcess
    let temp: TemporaryDirectory
    /// The demo organization's org_admin session.
    let admin: String
    /// The demo organization's API key.
    let key: String

    static let rootEmail = "root@example.com"
    static let rootPassword = "root-password-1"

    /// A demo gateway; `privateWebhooks` lets it deliver to loopback (PESA_ALLOW_PRIVATE_WEBHOOKS=1).
    static func start(_ name: String, privateWebhooks: Bool = true) async throws -> WebhookWorld {
        let temp = TemporaryDirectory(name)
        var environment = ["PESA_ADMIN_EMAIL": rootEmail, "PESA_ADMIN_PASSWORD": rootPassword]
        if privateWebhooks { environment["PESA_ALLOW_PRIVATE_WEBHOOKS"] = "1" }
        let server = ServerProcess(dataDirectory: temp.path, environment: environment)
        do {
            try await server.start(["--demo"])
            let admin = try await PayoutEndToEndTests().demoAdminToken(server)
            let key = try await PaymentEndToEndTests().demoKey(server)
            return WebhookWorld(server: server, temp: temp, admin: admin, key: key)
        } catch {
            server.stop()
            temp.remove()
            throw error
        }
    }

    func stop() {
        server.stop()
        temp.remove()
    }

    /// Creates an endpoint; its id and its signing secret (shown this once).
    func createEndpoint(_ url: String, events: [String]? = nil, token: String? = nil) async throws
        -> (id: String, secret: String)
    {
        var body: [String: Any] = ["url": url, "description": "e2e receiver"]
        if let events { body["events"] = events }
        let (status, made) = try await server.request(
            "POST", "/v1/webhook-endpoints", token: token ?? admin, json: body)
        #expect(status == 201, "\(String(describing: made))")
        let id = try #require(made?["id"] as? String)
        let secret = try #require(made?["secret"] as? String)
        #expect(secret.hasPrefix("whsec_"))
        #expect(made?["enabled"] as? Bool == true)
        return (id, secret)
    }

    /// Sends the endpoint a `ping`; the event's id (the `webhook-id` every attempt carries).
    func ping(_ endpoint: String, token: String? = nil) async throws -> String {
        let (status, event) = try await server.request(
            "POST", "/v1/webhook-endpoints/\(endpoint)/test", token: token ?? admin)
        #expect(status == 202, "\(String(describing: event))")
        #expect(event?["type"] as? String == "ping")
        return try #require(event?["id"] as? String)
    }

    /// GETs `path` until `done` holds of its JSON body (20 s at most).
    func poll(
        _ path: String, token: String? = nil, timeout: TimeInterval = 20, until done: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [String: Any]?
        while Date() < deadline {
            let (status, body) = try await server.request("GET", path, token: token ?? admin)
            last = body
            if status == 200, let body, done(body) { return body }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServerError("\(path) did not get there: \(String(describing: last))")
    }

    /// The event's one delivery once `done` holds of it.
    func delivery(ofEvent event: String, until done: @escaping ([String: Any]) -> Bool) async throws
        -> [String: Any]
    {
        let list = try await poll("/v1/webhook-deliveries?event=\(event)") { body in
            let deliveries = Self.data(body)
            return deliveries.count == 1 && done(deliveries[0])
        }
        return Self.data(list)[0]
    }

    /// The status codes of a delivery's attempts, oldest first.
    static func codes(_ delivery: [String: Any]) -> [Int] {
        (delivery["attempts"] as? [[String: Any]] ?? []).compactMap { $0["status_code"] as? Int }
    }

    static func data(_ body: [String: Any]?) -> [[String: Any]] { body?["data"] as? [[String: Any]] ?? [] }

    static func error(_ body: [String: Any]?) -> [String: Any]? { body?["error"] as? [String: Any] }

    /// An RFC 3339 time of the API (`…Z`, with or without milliseconds).
    static func date(_ text: Any?) -> Date? {
        guard let text = text as? String else { return nil }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return (try? Date.ISO8601FormatStyle().parse(text)) ?? (try? fractional.parse(text))
    }

    /// The indices of the request's `webhook-signature` entries that are a valid `v1` signature under `secret`,
    /// computed as the Standard Webhooks specification says: HMAC-SHA256 of `<id>.<timestamp>.<body>` keyed by
    /// the base64-decoded part of the secret after `whsec_`.
    static func validSignatures(_ request: WebhookReceiverServer.Received, secret: String) -> [Int] {
        guard secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count))),
            let id = request.header("webhook-id"), let timestamp = request.header("webhook-timestamp"),
            let header = request.header("webhook-signature")
        else { return [] }
        let content = Data("\(id).\(timestamp).".utf8) + request.body
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        let expected = "v1," + Data(mac).base64EncodedString()
        return header.split(separator: " ").enumerated().filter { $0.element == expected }.map(\.offset)
    }

    /// The request's JSON body.
    static func body(_ request: WebhookReceiverServer.Received) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
    }

    /// Waits `seconds`, failing at once if the receiver gets more than `count` requests for `event` meanwhile.
    static func expectQuiet(
        _ receiver: WebhookReceiverServer, event: String, count: Int, seconds: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let seen = receiver.received(webhookID: event).count
            if seen != count {
                Issue.record("\(seen) requests for \(event), expected \(count)", sourceLocation: sourceLocation)
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
