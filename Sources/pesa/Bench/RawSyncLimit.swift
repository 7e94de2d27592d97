import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The disk's raw durability limit: append `linesPerSync` lines of `lineBytes` with one write, fdatasync,
/// repeat, for `seconds`. The baseline of `pesa bench storage` and `pesa bench payments`.
enum RawSyncLimit {
    static let linesMax = 5_000_000

    /// Lines made durable per second.
    static func measure(path: String, linesPerSync: Int, lineBytes: Int, seconds: Double) throws -> Double {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError("cannot open \(path)") }
        defer { close(fd) }
        var line = [UInt8](repeating: UInt8(ascii: "x"), count: max(lineBytes, 2) - 1)
        line.append(0x0a)
        let chunk = Array([[UInt8]](repeating: line, count: linesPerSync).joined())
        let clock = ContinuousClock()
        let start = clock.now
        var lines = 0
        while clock.now - start < .seconds(seconds) && lines < linesMax {
            _ = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard fdatasync(fd) == 0 else { throw CLIError("fdatasync failed") }
            lines += linesPerSync
        }
        return Double(lines) / (clock.now - start).seconds
    }
}
