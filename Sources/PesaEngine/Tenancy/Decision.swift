public import PesaCore

/// What a command decided: the events to journal (in order) and the answer to give once they are durable.
public struct Decision<Value: Sendable>: Sendable {
    public var events: [TenantEvent]
    public var value: Value

    public init(events: [TenantEvent] = [], value: Value) {
        self.events = events
        self.value = value
    }
}

/// What a command may use besides the state: the time and fresh random ids (the core takes both as input).
public struct CommandContext: Sendable {
    public let nowMs: Int64

    public init(nowMs: Int64) {
        self.nowMs = nowMs
    }

    public func newID<Kind: IDKind>(_ kind: Kind.Type = Kind.self) -> PrefixedID<Kind> {
        PrefixedID(randomBytes: Self.randomBytes(16))
    }

    /// `count` bytes from the system's generator, eight per call (each call is a `getrandom` system call).
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 7)
        while bytes.count < count { withUnsafeBytes(of: generator.next() as UInt64) { bytes += $0 } }
        return Array(bytes.prefix(count))
    }
}

/// Wall-clock time in milliseconds, injectable for tests.
public protocol WallClock: Sendable {
    func nowMs() -> Int64
}

public struct SystemWallClock: WallClock {
    public init() {}

    public func nowMs() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

#if canImport(Glibc)
import Glibc
#endif
