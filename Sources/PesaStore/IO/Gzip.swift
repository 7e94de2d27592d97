import CompressNIO
import NIOCore

/// gzip (RFC 1952) through zlib, for snapshots and archived segments.
enum Gzip {
    static func compress(_ bytes: [UInt8], fast: Bool = true) -> [UInt8] {
        var input = ByteBuffer(bytes: bytes)
        let level: ZlibConfiguration.CompressionLevel = fast ? .fastestCompression : .defaultCompressionLevel
        do {
            var output = try input.compress(with: .gzip(configuration: .init(compressionLevel: level)))
            return output.readBytes(length: output.readableBytes) ?? []
        } catch {
            // zlib only fails here on a programming error (the output buffer is sized by deflateBound).
            preconditionFailure("gzip compression failed: \(error)")
        }
    }

    /// Decompresses at most `maxBytes`; nil when the input is not valid gzip or decompresses larger.
    static func decompress(_ bytes: ArraySlice<UInt8>, maxBytes: Int) -> [UInt8]? {
        var input = ByteBuffer(bytes: bytes)
        guard var output = try? input.decompress(with: .gzip(), maxSize: maxBytes) else { return nil }
        return output.readBytes(length: output.readableBytes)
    }
}
