import Crypto
import Foundation

/// Standard Webhooks signatures (standardwebhooks.com): the signed content is `<id>.<timestamp>.<body>`, the MAC
/// is HMAC-SHA256 keyed by a secret's raw bytes, and the `webhook-signature` header carries one `v1,<base64 MAC>`
/// entry per secret, space-separated, so an endpoint whose secret is being rotated accepts either the old or the
/// new one. The endpoint also receives `webhook-id` and `webhook-timestamp` (seconds since 1970) to rebuild the
/// signed content and refuse stale or replayed deliveries.
public enum WebhookSignature {
    /// The version tag of an HMAC-SHA256 entry.
    public static let versionTag = "v1"

    /// The `webhook-signature` header for a delivery: one `v1,` entry per secret, in the order given.
    public static func header(id: String, timestampSeconds: Int64, body: [UInt8], secrets: [WebhookSecret]) -> String {
        let content = signedContent(id: id, timestampSeconds: timestampSeconds, body: body)
        return secrets.map { secret in
            let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: secret.bytes))
            return versionTag + "," + Data(mac).base64EncodedString()
        }.joined(separator: " ")
    }

    /// Whether any `v1,` entry of `header` is the MAC of this delivery under `secret`, compared in constant time.
    /// Entries of other versions and malformed entries are passed over.
    public static func verify(header: String, id: String, timestampSeconds: Int64, body: [UInt8], secret: WebhookSecret)
        -> Bool
    {
        let content = signedContent(id: id, timestampSeconds: timestampSeconds, body: body)
        let key = SymmetricKey(data: secret.bytes)
        var matched = false
        for entry in header.split(separator: " ", omittingEmptySubsequences: true) {
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == versionTag, let mac = Data(base64Encoded: String(parts[1])) else {
                continue
            }
            // Every entry is checked, so the time taken does not tell which one matched.
            if HMAC<SHA256>.isValidAuthenticationCode(Array(mac), authenticating: content, using: key) {
                matched = true
            }
        }
        return matched
    }

    /// `<id>.<timestamp>.<body>`, the bytes the MAC covers.
    static func signedContent(id: String, timestampSeconds: Int64, body: [UInt8]) -> [UInt8] {
        Array("\(id).\(timestampSeconds).".utf8) + body
    }
}
