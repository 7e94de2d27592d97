import Foundation

/// The key an organization's endpoint checks webhook signatures with: 32 random bytes, shown to the organization
/// once as `whsec_` + their standard base64 (the Standard Webhooks spelling). It never describes itself: logs and
/// dashboards get `hint`, which names the secret without being enough to rebuild it.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible {
    /// The prefix of a secret's text form.
    public static let prefix = "whsec_"
    /// The length of a secret this gateway generates.
    public static let generatedBytesCount = 32
    /// The shortest and longest keys accepted from text (the Standard Webhooks range, 24 to 64 bytes).
    public static let parsedBytesMin = 24
    public static let parsedBytesMax = 64

    /// The HMAC key.
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// A new secret of 32 bytes from the system's cryptographically secure generator.
    public static func generate() -> WebhookSecret {
        var random = SystemRandomNumberGenerator()
        return WebhookSecret(bytes: (0..<generatedBytesCount).map { _ in random.next() })
    }

    /// Reads `whsec_<base64>`, refusing anything else.
    public init(text: String) throws(WebhookError) {
        guard text.hasPrefix(Self.prefix) else {
            throw WebhookError("a webhook secret starts with \(Self.prefix)", param: "secret")
        }
        guard let data = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))) else {
            throw WebhookError("a webhook secret is \(Self.prefix) followed by base64", param: "secret")
        }
        guard (Self.parsedBytesMin...Self.parsedBytesMax).contains(data.count) else {
            throw WebhookError(
                "a webhook secret holds \(Self.parsedBytesMin) to \(Self.parsedBytesMax) bytes, not \(data.count)",
                param: "secret")
        }
        self.bytes = Array(data)
    }

    /// `whsec_` + the standard base64 of the bytes: what the organization's endpoint is configured with.
    public var text: String { Self.prefix + Data(bytes).base64EncodedString() }

    /// `whsec_…` + the text's last 4 characters: enough to tell two secrets apart, never to rebuild one.
    public var hint: String { Self.prefix + "…" + String(text.suffix(4)) }

    public var description: String { hint }
}
