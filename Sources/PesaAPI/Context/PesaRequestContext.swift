public import Foundation
public import Hummingbird
import HTTPTypes
import Logging
public import NIOCore
import PesaCore

/// Per-request state of the gateway: request id, the authenticated caller (once the `Authenticator` ran),
/// the client address, and a logger whose metadata carries `request_id` (and `org` once known).
public struct PesaRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// `req_…` (or the caller's own sane `X-Request-Id`); set by `RequestIDMiddleware`.
    public var requestID: String
    /// Set by `Authenticator` when the request carries valid credentials.
    public var identity: Identity?
    /// The peer's IP address, when the transport has one (login throttling per address).
    public let remoteAddress: String?
    /// Shared with the outer middlewares.
    public let trace: RequestTrace
    /// The largest body this request may have: the route's own limit or `Limits.requestBodyBytesMax`
    /// (set by `BodyLimitMiddleware`).
    public var bodyBytesMax: Int
    /// Set by `Authenticator` when a `GET /metrics` request carries the configured metrics token.
    public var presentedMetricsToken: Bool
    /// The connection the request came on (`ClientGoneMiddleware` asks whether the client is still there).
    public let connection: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = RequestIDGenerator.next()
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
        self.trace = RequestTrace()
        self.bodyBytesMax = Limits.requestBodyBytesMax
        self.presentedMetricsToken = false
        self.connection = source.channel
    }

    /// Hummingbird's own decoders never read more than the route's body limit.
    public var maxUploadSize: Int { bodyBytesMax }

    /// JSON answers: RFC 3339 dates, URLs without escaped slashes.
    public var responseEncoder: JSONEncoder { Self.sharedResponseEncoder }

    /// One encoder for every answer (configured once, never changed: `encode` may run concurrently).
    static let sharedResponseEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}
