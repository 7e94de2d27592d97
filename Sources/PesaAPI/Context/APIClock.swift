import Foundation

/// Wall-clock time in Unix milliseconds, injected so that tests can move time (JWT expiry, throttles).
public struct APIClock: Sendable {
    public let nowMs: @Sendable () -> Int64

    public init(nowMs: @escaping @Sendable () -> Int64) {
        self.nowMs = nowMs
    }

    public static let system = APIClock { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    public var nowSeconds: Int64 { nowMs() / 1000 }
}
