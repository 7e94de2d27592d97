import Foundation
import PesaCLI

#if canImport(Glibc)
import Glibc
#endif

/// The disk's raw durability limit: append `linesPerSync` lines of `lineBytes` with one write, fdatasync,
/// repeat, for `seconds`. The baseline of `pesa-bench storage` and `pesa-bench payments`.
enum RawSyncLimit {
    static let linesMax = 5_000_000

    /// Lines made durable per second.
    static func measure(path: String, linesPerSync: Int, lineBytes: Int, seconds: Double) throws -> Double {
        try run(path: path, linesPerSync: linesPerSync, lineBytes: lineBytes, seconds: seconds).linesPerSecond
    }

    /// The disk's sync tail: how long single-line write+fdatasyncs took, for `seconds`.
    struct SyncTail {
        var syncs = 0
        var p999Ms = 0.0
        var maxMs = 0.0

        var summary: String {
            String(format: "%d syncs, p99.9 %.1f ms, max %.1f ms", syncs, p999Ms, maxMs)
        }
    }

    static func syncTail(path: String, lineBytes: Int, seconds: Double) throws -> SyncTail {
        let outcome = try run(path: path, linesPerSync: 1, lineBytes: lineBytes, seconds: seconds)
        let sorted = outcome.latenciesMs.sorted()
        return SyncTail(syncs: sorted.count, p999Ms: sorted.nearestRank(0.999), maxMs: sorted.last ?? 0)
    }

    private static func run(path: String, linesPerSync: Int, lineBytes: Int, seconds: Double) throws
        -> (linesPerSecond: Double, latenciesMs: [Double])
    {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError("cannot open \(path)") }
        defer { close(fd) }
        var line = [UInt8](repeating: UInt8(ascii: "x"), count: max(lineBytes, 2) - 1)
        line.append(0x0a)
        let chunk = Array([[UInt8]](repeating: line, count: linesPerSync).joined())
        let clock = ContinuousClock()
        let start = clock.now
        var lines = 0
        var latenciesMs: [Double] = []
        while clock.now - start < .seconds(seconds) && lines < linesMax {
            let began = clock.now
            _ = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard fdatasync(fd) == 0 else { throw CLIError("fdatasync failed") }
            latenciesMs.append((clock.now - began).seconds * 1000)
            lines += linesPerSync
        }
        return (Double(lines) / (clock.now - start).seconds, latenciesMs)
    }
}
