import Crypto
import PesaCore

/// An API key: `pk_test_` (sandbox credentials) or `pk_live_` (production) followed by
/// `Limits.apiKeyRandomCharactersCount` random base62 characters. Shown once; only `hash` (hex SHA-256 of
/// the whole key) and `hint` are ever stored. Its description is redacted so logs cannot show it.
public struct APIKey: Sendable, CustomStringConvertible {
    public enum Environment: String, Sendable, CaseIterable {
        case sandbox, production

        public var prefix: String {
            switch self {
            case .sandbox: "pk_test_"
            case .production: "pk_live_"
            }
        }
    }

    /// The whole key. Give it to the caller once, never log or store it.
    public let secret: String
    public let environment: Environment

    /// A new random key.
    public static func generate(environment: Environment) -> APIKey {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        let body = (0..<Limits.apiKeyRandomCharactersCount).map { _ in
            alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
        }
        return APIKey(secret: environment.prefix + String(body), environment: environment)
    }

    /// Hex SHA-256 of the whole key: what is stored and looked up.
    public var hash: String { Self.hash(of: secret) }

    /// `pk_test_…a1b2`: enough to recognise a key in a list.
    public var hint: String { environment.prefix + "…" + String(secret.suffix(4)) }

    public var description: String { "APIKey(\(hint))" }

    public static func hash(of key: String) -> String {
        Hex.encodeString(SHA256.hash(data: Array(key.utf8)))
    }

    /// Whether a bearer token is shaped like an API key (it is then never tried as a JWT).
    public static func isKeyShaped(_ token: String) -> Bool { token.hasPrefix("pk_") }

    /// Whether `token` is a well-formed key of either environment (prefix, length, base62 body).
    public static func isWellFormed(_ token: String) -> Bool {
        guard token.utf8.count <= Limits.apiKeyCharactersMax,
            let environment = Environment.allCases.first(where: { token.hasPrefix($0.prefix) })
        else { return false }
        let body = token.utf8.dropFirst(environment.prefix.utf8.count)
        return body.count >= 32 && body.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "a")...UInt8(ascii: "z"):
                true
            default:
                false
            }
        }
    }
}

extension APIKey {
    /// A key whose secret was made elsewhere (the demo's, derived from the master key); nil unless well formed.
    public init?(secret: String) {
        guard Self.isWellFormed(secret),
            let environment = Environment.allCases.first(where: { secret.hasPrefix($0.prefix) })
        else { return nil }
        self.init(secret: secret, environment: environment)
    }
}
