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
/// the certificate check (the system's trust roots, and `additionalTrustRootsPEM`). Redirects are not followed
/// (a 3xx is an answer like any other); at most `WebhookResponse.bodyPrefixBytesMax` bytes of the answer's body
/// are read, then the connection is closed. Connecting, TLS, writing and reading the answer together take at
/// most `timeoutMs`. Failures come back as `WebhookResponse.error`, never thrown.
///
/// Connections are kept alive between deliveries (`WebhookConnectionPool`): one to the same host at the same
/// checked address is reused when its last answer was complete and did not ask to close. A reused connection the
/// endpoint closed before answering (an idle timeout racing the request) is replaced by a new one and the
/// request sent again, once, with the same `webhook-id`; receivers deduplicate by it. The event loop group is
/// the owner's (the process-wide singleton by default).
public final class WebhookHTTPClient: Sendable {
    /// The request headers the client sets itself; the caller's headers of these names are dropped.
    public static let reservedHeaders: Set<String> = [
        "host", "content-length", "connection", "transfer-encoding", "content-type", "user-agent",
    ]
    public static let userAgent = "pesa-webhooks/1"

    let group: any EventLoopGroup
    let tls: Result<NIOSSLContext, WebhookError>
    let pool: WebhookConnectionPool

    /// `additionalTrustRootsPEM`: certificates (PEM) trusted besides the system's roots, such as a test's own.
    /// `idleMs`: how long an unused connection is kept (under the 5 s many servers keep one).
    public init(
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        additionalTrustRootsPEM: [String] = [], idleMs: Int64 = 4_000
    ) {
        self.group = eventLoopGroup
        self.pool = WebhookConnectionPool(idleMs: idleMs)
        var configuration = TLSConfiguration.makeClientConfiguration()
        do {
            let extra = try additionalTrustRootsPEM.flatMap { try NIOSSLCertificate.fromPEMBytes(Array($0.utf8)) }
            if !extra.isEmpty { configuration.additionalTrustRoots = [.certificates(extra)] }
            self.tls = .success(try NIOSSLContext(configuration: configuration))
        } catch {
            self.tls = .failure(WebhookError("the TLS configuration is unusable: \(error)"))
        }
    }

    /// Connections open and idle, in all (for tests and metrics).
    public var idleConnections: Int { pool.count }

    /// POSTs `body` to `target` at `address` (an IP address `target.host` resolved to), with `headers` besides
    /// the client's own; the answer, or why there was none, within `timeoutMs`.
    public func post(
        _ target: WebhookTarget, address: String, headers: [(String, String)], body: [UInt8],
        timeoutMs: Int64 = 15_000
    ) async -> WebhookResponse {
        let start = NIODeadline.now()
        let deadline = start + .milliseconds(timeoutMs)
        func failure(_ text: String) -> WebhookResponse {
            WebhookResponse(
                statusCode: nil, latencyMs: Self.ms(since: start), error: text, retryAfter: nil, bodyPrefix: "")
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
        let key = WebhookConnectionPool.Key(address: address, port: target.port, host: target.host, tls: target.isHTTPS)
        let head = requestHead(target, headers: headers, bodyCount: body.count)
        if let connection = pool.take(key) {
            switch await connection.exchange(head: head, body: body, start: start, deadline: deadline) {
            case .answered(let answer, let reusable):
                reusable ? pool.put(connection, key: key) : connection.close()
                return answer
            case .failed(let error, let anythingReceived):
                connection.close()
                // Closed under the request before a byte of answer: an idle connection the endpoint had just
                // let go. Anything else is the endpoint's answer to this attempt.
                guard !anythingReceived, NIODeadline.now() < deadline, !Task.isCancelled else {
                    return failure(describe(error, deadline: deadline, timeoutMs: timeoutMs))
                }
            }
        }
        let connection: WebhookConnection
        do {
            connection = try await connect(to: socketAddress, target: target, tls: sslContext, deadline: deadline)
        } catch {
            return failure(describe(error, deadline: deadline, timeoutMs: timeoutMs))
        }
        switch await connection.exchange(head: head, body: body, start: start, deadline: deadline) {
        case .answered(let answer, let reusable):
            reusable ? pool.put(connection, key: key) : connection.close()
            return answer
        case .failed(let error, _):
            connection.close()
            return failure(describe(error, deadline: deadline, timeoutMs: timeoutMs))
        }
    }

    func describe(_ error: any Error, deadline: NIODeadline, timeoutMs: Int64) -> String {
        NIODeadline.now() >= deadline ? "no answer within \(timeoutMs) ms" : Self.describe(error)
    }

    static func ms(since start: NIODeadline) -> Int64 { (NIODeadline.now() - start).nanoseconds / 1_000_000 }

    func connect(to address: SocketAddress, target: WebhookTarget, tls: NIOSSLContext?, deadline: NIODeadline)
        async throws -> WebhookConnection
    {
        // SNI names hosts only; for an address literal the certificate is checked against the address.
        let serverHostname = Self.isAddressLiteral(target.host) ? nil : target.host
        let remaining = max(deadline - NIODeadline.now(), .milliseconds(1))
        return try await ClientBootstrap(group: group)
            .connectTimeout(remaining)
            .connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: serverHostname)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    let answers = WebhookAnswerHandler()
                    try channel.pipeline.syncOperations.addHandler(answers)
                    return WebhookConnection(
                        channel: channel, handler: NIOLoopBound(answers, eventLoop: channel.eventLoop))
                }
            }
    }

    func requestHead(_ target: WebhookTarget, headers: [(String, String)], bodyCount: Int) -> HTTPRequestHead {
        var fields = HTTPHeaders([
            ("Host", target.hostHeader), ("User-Agent", Self.userAgent), ("Content-Type", "application/json"),
            ("Content-Length", String(bodyCount)),
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
        if error is WebhookConnectionClosed { return "the connection closed before an answer" }
        return "\(error)"
    }
}
