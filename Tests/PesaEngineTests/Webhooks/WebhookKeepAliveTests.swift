import NIOCore
import NIOHTTP1
import PesaEngine
import Testing

/// Connections kept alive between deliveries: reused while the endpoint keeps them, never when it asks to close or
/// an answer was cut, closed once idle; one the endpoint closed meanwhile never fails a delivery.
@Suite struct WebhookKeepAliveTests {
    static let ok = WebhookReceiver.Answer.respond(status: 200, headers: [], body: Array("ok".utf8))

    static func withReceiver<T>(
        _ answer: WebhookReceiver.Answer, keepAlive: Bool, _ body: (WebhookReceiver, WebhookTarget) async throws -> T
    ) async throws -> T {
        try await WebhookHTTPClientTests.withReceiver(answer, keepAlive: keepAlive) { receiver in
            let target = try WebhookTarget.parse("http://hooks.example.test:\(receiver.port)/in", requireHTTPS: false)
            return try await body(receiver, target)
        }
    }

    @Test func oneConnectionCarriesDeliveriesOneAfterAnother() async throws {
        try await Self.withReceiver(Self.ok, keepAlive: true) { receiver, target in
            let client = WebhookHTTPClient()
            for n in 0..<5 {
                let response = await client.patientPost(
                    target, address: "127.0.0.1", headers: [("webhook-id", "msg_\(n)")], body: Array("{}".utf8))
                #expect(response.statusCode == 200 && response.bodyPrefix == "ok", "\(n): \(response)")
            }
            #expect(receiver.received.map { $0.head.headers["webhook-id"].first } == (0..<5).map { "msg_\($0)" })
            #expect(receiver.connections == 1)
            #expect(client.idleConnections == 1)
        }
    }

    @Test func anAnswerAskingToCloseIsNotReused() async throws {
        let closing = WebhookReceiver.Answer.respond(status: 200, headers: [("Connection", "close")], body: [])
        try await Self.withReceiver(closing, keepAlive: true) { receiver, target in
            let client = WebhookHTTPClient()
            for _ in 0..<3 {
                #expect(await client.patientPost(target, address: "127.0.0.1", headers: [], body: []).statusCode == 200)
            }
            #expect(receiver.connections == 3)
            #expect(client.idleConnections == 0)
        }
    }

    @Test func anAnswerLongerThanItsPrefixLeavesTheConnectionClosed() async throws {
        let big = WebhookReceiver.Answer.respond(
            status: 200, headers: [], body: [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20))
        try await Self.withReceiver(big, keepAlive: true) { receiver, target in
            let client = WebhookHTTPClient()
            for _ in 0..<2 {
                let response = await client.patientPost(target, address: "127.0.0.1", headers: [], body: [])
                #expect(response.statusCode == 200)
                #expect(response.bodyPrefix.utf8.count == WebhookResponse.bodyPrefixBytesMax)
            }
            #expect(receiver.connections == 2)
            #expect(client.idleConnections == 0)
        }
    }

    /// The endpoint closes every connection after its answer without saying so: the client finds the kept
    /// connection closed (at once, or when its request is cut) and sends on a new one; every delivery succeeds
    /// and arrives once.
    @Test func aConnectionClosedWhileIdleNeverFailsADelivery() async throws {
        try await Self.withReceiver(Self.ok, keepAlive: false) { receiver, target in
            let client = WebhookHTTPClient()
            for n in 0..<30 {
                let response = await client.patientPost(
                    target, address: "127.0.0.1", headers: [("webhook-id", "msg_\(n)")], body: [])
                #expect(response.statusCode == 200, "\(n): \(response)")
            }
            let ids = receiver.received.compactMap { $0.head.headers["webhook-id"].first }
            #expect(ids == (0..<30).map { "msg_\($0)" })
            #expect(receiver.connections == 30)
        }
    }

    @Test func anIdleConnectionIsClosedAfterItsTime() async throws {
        try await Self.withReceiver(Self.ok, keepAlive: true) { _, target in
            let client = WebhookHTTPClient(idleMs: 100)
            #expect(await client.patientPost(target, address: "127.0.0.1", headers: [], body: []).statusCode == 200)
            #expect(client.idleConnections == 1)
            for _ in 0..<50 where client.idleConnections > 0 { try await Task.sleep(for: .milliseconds(50)) }
            #expect(client.idleConnections == 0)
        }
    }
}
