import NIOHTTP1
import PesaEngine
import Testing

/// The webhook POST over TLS: the URL's host name is checked against the certificate of the address connected to.
@Suite struct WebhookHTTPSTests {
    static let host = "hooks.example.test"

    @Test func trustedCertificateForTheURLHostIsAccepted() async throws {
        let (pem, context) = try WebhookReceiver.certificate(for: Self.host)
        let answer = WebhookReceiver.Answer.respond(status: 204, headers: [], body: [])
        try await WebhookHTTPClientTests.withReceiver(answer, tls: context) { receiver in
            let target = try WebhookTarget.parse("https://\(Self.host):\(receiver.port)/in", requireHTTPS: true)
            let client = WebhookHTTPClient(additionalTrustRootsPEM: [pem])
            let response = await client.post(target, address: "127.0.0.1", headers: [], body: Array("{}".utf8))
            #expect(response.error == nil)
            #expect(response.statusCode == 204)
            #expect(receiver.received.first?.head.headers["Host"] == ["\(Self.host):\(receiver.port)"])
        }
    }

    @Test func untrustedCertificateIsATLSFailure() async throws {
        let (_, context) = try WebhookReceiver.certificate(for: Self.host)
        try await WebhookHTTPClientTests.withReceiver(.respond(status: 200, headers: [], body: []), tls: context) {
            receiver in
            let target = try WebhookTarget.parse("https://\(Self.host):\(receiver.port)/", requireHTTPS: true)
            let response = await WebhookHTTPClient().post(target, address: "127.0.0.1", headers: [], body: [])
            #expect(response.statusCode == nil)
            #expect(response.error?.hasPrefix("TLS failure") == true, "\(response.error ?? "")")
            #expect(receiver.received.isEmpty)
        }
    }

    @Test func certificateForAnotherHostIsATLSFailure() async throws {
        let (pem, context) = try WebhookReceiver.certificate(for: "other.example.test")
        try await WebhookHTTPClientTests.withReceiver(.respond(status: 200, headers: [], body: []), tls: context) {
            receiver in
            let target = try WebhookTarget.parse("https://\(Self.host):\(receiver.port)/", requireHTTPS: true)
            let client = WebhookHTTPClient(additionalTrustRootsPEM: [pem])
            let response = await client.post(target, address: "127.0.0.1", headers: [], body: [])
            #expect(response.statusCode == nil)
            #expect(response.error?.hasPrefix("TLS failure") == true, "\(response.error ?? "")")
            #expect(receiver.received.isEmpty)
        }
    }
}
