import Crypto

/// Comparisons of secrets whose time does not depend on where they differ.
enum ConstantTime {
    /// Whether `a` equals `b`: both are hashed (SHA-256) and the digests compared byte by byte without an early
    /// exit, so neither the position of the first difference nor the secret's length leaks through timing.
    static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let left = Array(SHA256.hash(data: a))
        let right = Array(SHA256.hash(data: b))
        var difference: UInt8 = 0
        for index in 0..<left.count { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
