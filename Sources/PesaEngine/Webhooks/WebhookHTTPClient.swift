public import NIOCore
import NIOHTTP1
public import NIOPosix
import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends one webhook: a POST to an address `WebhookAddressPolicy` checked, never a fresh DNS lookup, so what was
/// checked is what is reached. The request still names the URL's host: in `Host:`, and for https in TLS SNI and
/// the certificate check (the system's trust roots, and `additionalTrustRootsPEM`). One connection per delivery,
/// `Connection: close`; redirects are not followed (a 3xx is an answer like any other); at most
/// `WebhookResponse.bodyPrefixBytesMax` bytes of the answer's body are read, then the connection is closed.
/// Connecting, TLS, writing and reading the answer together take at most `timeoutMs`. Failures come back as
/// `WebhookResponse.error`, never thrown. The client owns nothing to shut down: the event loop group is its
/// owner's (the process-wide singleton by default).
public final class WebhookHTTPClient: Sendable {
    /// The request headers the client sets itself; the caller's headers of these names are dropped.
    public static let reservedHeaders: Set<String> = [
        "host", "content-length", "connection", "transfer-encoding", "content-type", "user-agent",
    ]
    public static let userAgent = "pesa-webhooks/1"

    let group: any EventLoopGroup
    let tls: Result<NIOSSLContext, WebhookError>

    /// `additionalTrustRootsPEM`: certificates (PEM) trusted besides the system's roots, such as a test's own.
    public init(
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        additionalTrustRootsPEM: [String] = []
    ) {
        self.group = eventLoopGroup
        var configuration = TLSConfiguration.makeClientConfiguration()
        do {
            let extra = try additionalTrustRootsPEM.flatMap { try NIOSSLCertificate.fromPEMBytes(Array($0.utf8)) }
            if !extra.isEmpty { configuration.additionalTrustRoots = [.certificates(extra)] }
            self.tls = .success(try NIOSSLContext(configuration: configuration))
        } catch {
            self.tls = .failure(WebhookError("the TLS configuration is unusable: \(error)"))
        }
    }

    /// POSTs `body` to `target` at `address` (an IP address `target.host` resolved to), with `headers` besides
    /// the client's own; the answer, or why there was none, within `timeoutMs`.
    public func post(
        _ target: WebhookTarget, address: String, headers: [(String, String)], body: [UInt8],
        timeoutMs: Int64 = 15_000
    ) async -> WebhookResponse {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsedMs() -> Int64 {
            let elapsed = clock.now - start
            return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        }
        func failure(_ text: String) -> WebhookResponse {
            WebhookResponse(statusCode: nil, latencyMs: elapsedMs(), error: text, retryAfter: nil, bodyPrefix: "")
        }
        let socketAddress: SocketAddress
        do {
            socketAddress = try SocketAddress(ipAddress: address, port: target.port)
        } catch {
            return failure("not an IP address: \(address)")
        }
        var sslContext: NIOSSLContext?
        if target.isHTTPS {
            switch tls {
            case .success(let context): sslContext = context
            case .failure(let error): return failure(error.message)
            }
        }
        let deadline = NIODeadline.now() + .milliseconds(timeoutMs)
        let exchange = WebhookExchange(head: requestHead(target, headers: headers, bodyCount: body.count), body: body)
        do {
            let channel = try await connect(to: socketAddress, target: target, tls: sslContext, timeoutMs: timeoutMs)
            // The deadline covers TLS, the write and the answer: past it the connection is closed under them.
            let timer = channel.channel.eventLoop.scheduleTask(deadline: deadline) {
                channel.channel.close(promise: nil)
            }
            defer { timer.cancel() }
            // A cancelled task (the gateway shutting down) closes the connection instead of waiting for the answer.
            var answer = try await withTaskCancellationHandler {
                try await exchange.run(on: channel) { elapsedMs() }
            } onCancel: {
                channel.channel.close(promise: nil)
            }
            if answer.statusCode == nil {
                answer.error =
                    NIODeadline.now() >= deadline ? timedOut(timeoutMs) : "the connection closed before an answer"
            }
            answer.latencyMs = answer.statusCode == nil ? elapsedMs() : answer.latencyMs
            return answer
        } catch {
            return failure(NIODeadline.now() >= deadline ? timedOut(timeoutMs) : Self.describe(error))
        }
    }

    func timedOut(_ timeoutMs: Int64) -> String { "no answer within \(timeoutMs) ms" }

    func connect(to address: SocketAddress, target: WebhookTarget, tls: NIOSSLContext?, timeoutMs: Int64)
        async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
    {
        // SNI names hosts only; for an address literal the certificate is checked against the address.
        let serverHostname = Self.isAddressLiteral(target.host) ? nil : target.host
        return try await ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(timeoutMs))
            .connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: serverHostname)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
    }

    func requestHead(_ target: WebhookTarget, headers: [(String, String)], bodyCount: Int) -> HTTPRequestHead {
        var fields = HTTPHeaders([
            ("Host", target.hostHeader), ("User-Agent", Self.userAgent), ("Content-Type", "application/json"),
            ("Content-Length", String(bodyCount)), ("Connection", "close"),
        ])
        for (name, value) in headers where !Self.reservedHeaders.contains(name.lowercased()) {
            fields.add(name: name, value: value)
        }
        return HTTPRequestHead(version: .http1_1, method: .POST, uri: target.pathAndQuery, headers: fields)
    }

    /// Whether `host` is an IPv4 or IPv6 address rather than a name.
    static func isAddressLiteral(_ host: String) -> Bool { (try? SocketAddress(ipAddress: host, port: 0)) != nil }

    /// A failure in words: the usual ones by name, anything else as NIO describes it.
    static func describe(_ error: any Error) -> String {
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED { return "connection refused" }
        if let error = error as? NIOConnectionError {
            let refused = error.connectionErrors.contains { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }
            return refused ? "connection refused" : "could not connect: \(error)"
        }
        if case ChannelError.connectTimeout = error { return "connection timed out" }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return "TLS failure: \(error)"
        }
        return "\(error)"
    }
}

/// One request and its answer over a connected channel.
struct WebhookExchange: Sendable {
    let head: HTTPRequestHead
    let body: [UInt8]

    func run(
        on channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>,
        elapsedMs: () -> Int64
    ) async throws -> WebhookResponse {
        var answer = WebhookResponse(statusCode: nil, latencyMs: 0, error: nil, retryAfter: nil, bodyPrefix: "")
        var bodyBytes: [UInt8] = []
        func read(_ inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>) async throws {
            for try await part in inbound {
                switch part {
                case .head(let response):
                    answer.statusCode = Int(response.status.code)
                    answer.latencyMs = elapsedMs()
                    answer.retryAfter = response.headers.first(name: "Retry-After")
                case .body(var buffer):
                    let room = WebhookResponse.bodyPrefixBytesMax - bodyBytes.count
                    bodyBytes += buffer.readBytes(length: min(room, buffer.readableBytes)) ?? []
                    if bodyBytes.count >= WebhookResponse.bodyPrefixBytesMax { return }
                case .end:
                    return
                }
            }
        }
        do {
            try await channel.executeThenClose { inbound, outbound in
                do {
                    try await outbound.write(.head(head))
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
                    try await outbound.write(.end(nil))
                } catch {
                    // The endpoint may answer and close before the write is acknowledged, and a failed TLS
                    // handshake closes the connection under the write: the inbound side has the answer, or why.
                    try await read(inbound)
                    if answer.statusCode == nil { throw error }
                    return
                }
                try await read(inbound)
            }
        } catch where answer.statusCode != nil {
            // The answer's head came; a body cut short (closed, timed out) leaves what was read.
        }
        answer.bodyPrefix = String(decoding: bodyBytes, as: UTF8.self)
        return answer
    }
}
