import CZlib

/// gzip (RFC 1952) through zlib, for snapshots and archived segments. Decompression writes straight into
/// an array of the expected size, so a 150 MB snapshot payload is never held twice.
enum Gzip {
    /// gzip framing: window bits 15, +16.
    private static let gzipWindowBits: Int32 = 15 + 16

    static func compress(_ bytes: [UInt8], fast: Bool = true) -> [UInt8] {
        var stream = z_stream()
        let level = fast ? Z_BEST_SPEED : Z_DEFAULT_COMPRESSION
        guard deflateInit2_(
            &stream, level, Z_DEFLATED, gzipWindowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { preconditionFailure("zlib deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count))) + 64
        var output = [UInt8](repeating: 0, count: bound)
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return sliced(input, &stream) { deflate(&$0, $1 ? Z_FINISH : Z_NO_FLUSH) }.status
            }
        }
        precondition(status == Z_STREAM_END, "zlib deflate with a deflateBound-sized buffer ends the stream")
        output.removeLast(output.count - Int(stream.total_out))
        return output
    }

    /// Hands `input` to `step` (deflate or inflate; `true` with the last slice) in slices of
    /// `Pacing.sliceBytes`, so
    /// that maintenance can pace itself between them (`Pacing`), while `step` answers `Z_OK` and takes its
    /// whole slice. The last status, and whether every input byte was taken.
    private static func sliced(
        _ input: UnsafeBufferPointer<UInt8>, _ stream: inout z_stream, step: (inout z_stream, Bool) -> Int32
    ) -> (status: Int32, consumedAll: Bool) {
        var offset = 0
        var status = Z_OK
        repeat {
            let slice = min(Pacing.sliceBytes, input.count - offset)
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + offset })
            stream.avail_in = uInt(slice)
            offset += slice
            status = step(&stream, offset == input.count)
            Pacing.pause()
        } while offset < input.count && status == Z_OK && stream.avail_in == 0
        return (status, offset == input.count && stream.avail_in == 0)
    }

    /// Decompresses a gzip stream that must inflate to exactly `expectedBytes`; nil otherwise (damaged
    /// data, wrong size, trailing garbage). zlib checks the stream's CRC-32.
    static func decompress(_ bytes: ArraySlice<UInt8>, expectedBytes: Int) -> [UInt8]? {
        guard expectedBytes >= 0 else { return nil }
        var stream = z_stream()
        guard inflateInit2_(&stream, gzipWindowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
        defer { inflateEnd(&stream) }
        var status: Int32 = Z_OK
        var consumedAll = false
        // One spare byte tells "exactly expectedBytes" from "more than that".
        let output = [UInt8](unsafeUninitializedCapacity: expectedBytes + 1) { buffer, count in
            bytes.withUnsafeBufferPointer { input in
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(buffer.count)
                (status, consumedAll) = sliced(input, &stream) { stream, _ in inflate(&stream, Z_NO_FLUSH) }
            }
            count = Int(stream.total_out)
        }
        guard status == Z_STREAM_END, output.count == expectedBytes, consumedAll else { return nil }
        return output
    }

    /// Decompresses a gzip stream of unknown size, up to `maxBytes`.
    static func decompress(_ bytes: ArraySlice<UInt8>, maxBytes: Int) -> [UInt8]? {
        guard bytes.count >= 18 else { return nil }
        // The gzip trailer's last 4 bytes are the uncompressed size modulo 2^32 (ISIZE).
        let end = bytes.endIndex
        let size =
            Int(bytes[end - 4]) | Int(bytes[end - 3]) << 8 | Int(bytes[end - 2]) << 16 | Int(bytes[end - 1]) << 24
        guard size <= maxBytes else { return nil }
        return decompress(bytes, expectedBytes: size)
    }
}
