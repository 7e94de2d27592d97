import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SwiftASN1
import Synchronization
import X509

/// A small webhook endpoint for the tests, listening on 127.0.0.1 at a free port: it records each request and
/// answers as told (or never), over plain HTTP or TLS with a certificate made for `hostName`. It closes each
/// connection after its answer, unless `keepAlive` (then only when its answer says `Connection: close`).
final class WebhookReceiver: Sendable {
    /// What the receiver does with a request.
    enum Answer: Sendable {
        case respond(status: Int, headers: [(String, String)], body: [UInt8])
        /// Reads the request and says nothing.
        case silence
    }

    struct Request: Sendable {
        let head: HTTPRequestHead
        let body: [UInt8]
    }

    let answer: Answer
    let keepAlive: Bool
    let requests = Mutex<[Request]>([])
    let channel: Mutex<(any Channel)?> = Mutex(nil)
    let accepted = Mutex(0)

    init(answer: Answer, keepAlive: Bool = false) {
        self.answer = answer
        self.keepAlive = keepAlive
    }

    /// Connections accepted so far.
    var connections: Int { accepted.withLock { $0 } }

    var port: Int { channel.withLock { $0?.localAddress?.port ?? 0 } }
    var received: [Request] { requests.withLock { $0 } }

    /// Starts listening; with `tls`, the certificate and key the receiver presents.
    func start(tls: NIOSSLContext? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
        async throws
    {
        let listening = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                self.accepted.withLock { $0 += 1 }
                return child.eventLoop.makeCompletedFuture {
                    if let tls { try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try child.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try child.pipeline.syncOperations.addHandler(ReceiverHandler(receiver: self))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        channel.withLock { $0 = listening }
    }

    func stop() async {
        let listening = channel.withLock { $0 }
        try? await listening?.close()
    }

    /// A self-signed certificate (also its own root) for `hostName`, and the server context presenting it.
    static func certificate(for hostName: String) throws -> (pem: String, context: NIOSSLContext) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(hostName) }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 3600, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                SubjectAlternativeNames([.dnsName(hostName)])
            },
            issuerPrivateKey: .init(key))
        let pem = try certificate.serializeAsPEM().pemString
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(pem.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem)))
        return (pem, try NIOSSLContext(configuration: configuration))
    }
}

/// Collects one request, records it, answers it.
final class ReceiverHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let receiver: WebhookReceiver
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(receiver: WebhookReceiver) {
        self.receiver = receiver
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let part):
            head = part
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            receiver.requests.withLock { $0.append(.init(head: head, body: body)) }
            guard case .respond(let status, let headers, let bytes) = receiver.answer else { return }
            var fields = HTTPHeaders(headers)
            fields.add(name: "Content-Length", value: String(bytes.count))
            let response = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: fields)
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            self.head = nil
            body = []
            let channel = context.channel
            let close = !receiver.keepAlive || fields["Connection"].contains { $0.lowercased() == "close" }
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if close { channel.close(promise: nil) }
            }
        }
    }
}
