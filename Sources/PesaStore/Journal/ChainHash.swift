import Crypto
import PesaCore

/// A SHA-256 link of a tenant's hash chain, kept as its 64 lowercase hex digits (as written on disk).
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    /// 64 ASCII bytes, lowercase hex.
    public let hexBytes: [UInt8]

    /// The `prev` of a tenant's first line: 64 zeros.
    public static let genesis = ChainHash(trustedHex: [UInt8](repeating: UInt8(ascii: "0"), count: 64))

    init(trustedHex: [UInt8]) {
        precondition(trustedHex.count == 64, "a chain hash is 64 hex digits")
        self.hexBytes = trustedHex
    }

    /// Parses 64 lowercase hex digits; nil for anything else.
    public init?<Bytes: Collection>(hex: Bytes) where Bytes.Element == UInt8 {
        guard hex.count == 64, hex.allSatisfy(Hex.isLowerDigit) else { return nil }
        self.hexBytes = Array(hex)
    }

    public init?(hexString: String) {
        self.init(hex: Array(hexString.utf8))
    }

    /// SHA-256 of `bytes`.
    public static func of<Bytes: Sequence>(_ bytes: Bytes) -> ChainHash where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return ChainHash(trustedHex: Hex.encode(hasher.finalize()))
    }

    /// SHA-256 of a large buffer (a snapshot payload) without copying it, a slice at a time, pausing between
    /// slices on a paced thread (`Pacing`).
    static func ofPaced(_ bytes: [UInt8]) -> ChainHash {
        var hasher = SHA256()
        bytes.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                let end = min(start + Pacing.sliceBytes, raw.count)
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                Pacing.pause()
                start = end
            }
        }
        return ChainHash(trustedHex: Hex.encode(hasher.finalize()))
    }

    public var description: String { String(decoding: hexBytes, as: UTF8.self) }
}
