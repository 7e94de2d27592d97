import NIOCore
import NIOHTTP1
import NIOPosix
import PesaEngine
import Testing

/// The webhook POST over TLS: the URL's host name is checked against the certificate of the address connected to.
/// Receiver and client run on an event loop of their own, so that no other test's work on the shared loops
/// delays a handshake past the client's deadline.
@Suite(.serialized) struct WebhookHTTPSTests {
    static let host = "hooks.example.test"

    /// Runs `body` with an event loop group of its own, shut down after.
    static func withOwnLoop<T>(_ body: (any EventLoopGroup) async throws -> T) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let result: Result<T, any Error>
        do { result = .success(try await body(group)) } catch { result = .failure(error) }
        try await group.shutdownGracefully()
        return try result.get()
    }

    @Test func trustedCertificateForTheURLHostIsAccepted() async throws {
        let (pem, context) = try WebhookReceiver.certificate(for: Self.host)
        let answer = WebhookReceiver.Answer.respond(status: 204, headers: [], body: [])
        try await Self.withOwnLoop { group in
            try await WebhookHTTPClientTests.withReceiver(answer, tls: context, group: group) { receiver in
                let target = try WebhookTarget.parse("https://\(Self.host):\(receiver.port)/in", requireHTTPS: true)
                let client = WebhookHTTPClient(eventLoopGroup: group, additionalTrustRootsPEM: [pem])
                let response = await client.patientPost(
                    target, address: "127.0.0.1", headers: [], body: Array("{}".utf8))
                #expect(response.error == nil)
                #expect(response.statusCode == 204)
                #expect(receiver.received.first?.head.headers["Host"] == ["\(Self.host):\(receiver.port)"])
            }
        }
    }

    @Test func untrustedCertificateIsATLSFailure() async throws {
        let (_, context) = try WebhookReceiver.certificate(for: Self.host)
        try await Self.withOwnLoop { group in
            try await WebhookHTTPClientTests.withReceiver(
                .respond(status: 200, headers: [], body: []), tls: context, group: group
            ) {
                receiver in
                let target = try WebhookTarget.parse("https://\(Self.host):\(receiver.port)/", requireHTTPS: true)
                let response = await WebhookHTTPClient(eventLoopGroup: group).patientPost(
                    target, address: "127.0.0.1", headers: [], body: [])
                #expect(response.statusCode == nil)
                #expect(response.error?.hasPrefix("TLS failure") == true, "\(response.error ?? "")")
                #expect(receiver.received.isEmpty)
            }
        }
    }

    @Test func certificateForAnotherHostIsATLSFailure() async throws {
        let (pem, context) = try WebhookReceiver.certificate(for: "other.example.test")
        try await Self.withOwnLoop { group in
            try await WebhookHTTPClientTests.withReceiver(
                .respond(status: 200, headers: [], body: []), tls: context, group: group
            ) {
                receiver in
                let target = try WebhookTarget.parse("https://\(Self.host):\(receiver.port)/", requireHTTPS: true)
                let client = WebhookHTTPClient(eventLoopGroup: group, additionalTrustRootsPEM: [pem])
                let response = await client.patientPost(target, address: "127.0.0.1", headers: [], body: [])
                #expect(response.statusCode == nil)
                #expect(response.error?.hasPrefix("TLS failure") == true, "\(response.error ?? "")")
                #expect(receiver.received.isEmpty)
            }
        }
    }
}
