import Crypto

/// Comparisons of secrets (callback URL tokens, the metrics token) whose time does not depend on where they
/// differ. Both sides are hashed (SHA-256) and the digests compared with swift-crypto's constant-time equality,
/// so neither the position of the first difference nor the secret's length leaks through timing.
public enum ConstantTime {
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        SHA256.hash(data: lhs) == SHA256.hash(data: rhs)
    }

    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        equals(Array(lhs.utf8), Array(rhs.utf8))
    }
}
