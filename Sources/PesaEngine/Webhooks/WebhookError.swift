/// What goes wrong with a webhook endpoint or its secret before anything is sent: a URL that is not an http(s)
/// address, a host that resolves to a private address, a malformed secret. `param` names the input at fault
/// (`url`, `secret`) so the API can point at it; `message` names the problem in words an organization can act on.
public struct WebhookError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let param: String?

    public init(_ message: String, param: String? = nil) {
        self.message = message
        self.param = param
    }

    public var description: String { param.map { "\($0): \(message)" } ?? message }
}
