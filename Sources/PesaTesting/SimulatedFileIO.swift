public import PesaStore
import Synchronization

/// An in-memory disk that behaves like a real one across a power cut: file bytes are durable only once
/// synced, names (creations, renames, removals) only once their directory is synced. `crash` freezes
/// what would survive — durable bytes plus a random prefix of each file's un-synced tail, sometimes with
/// its last bytes garbled (a torn write) — and `reboot` brings that image back.
///
/// Faults can be injected by rule: an operation on a matching path fails with an errno (ENOSPC, EIO),
/// optionally after writing part of the bytes. Seeded, so a failing run replays from its seed.
public final class SimulatedFileIO: FileIO, Sendable {
    public enum Operation: Sendable, Equatable {
        case read, append, sync, truncate, create, mkdir, rename, remove, syncDirectory, list
    }

    public struct Fault: Sendable {
        public var operation: Operation
        public var pathContains: String
        public var errno: Int32
        /// For `.append`: bytes that reach the file before the error.
        public var partialBytes: Int
        /// How many times it fires (nil: until cleared).
        public var remaining: Int?

        public init(
            _ operation: Operation, pathContains: String = "", errno: Int32, partialBytes: Int = 0, times: Int? = nil
        ) {
            self.operation = operation
            self.pathContains = pathContains
            self.errno = errno
            self.partialBytes = partialBytes
            self.remaining = times
        }
    }

    struct Disk {
        var contents: [Int: [UInt8]] = [:]
        var durableContents: [Int: [UInt8]] = [:]
        var mtimes: [Int: Int64] = [:]
        var names: [String: Int] = [:]
        var durableNames: [String: Int] = [:]
        var directories: Set<String> = ["/"]
        var durableDirectories: Set<String> = ["/"]
        var nextFileID = 1
        var faults: [Fault] = []
        var rng: SeededRandom
        var nowMs: Int64 = 1_764_331_200_000
        /// Set by `crash`: the image that survives. While set, every operation fails with EIO.
        var crashImage: CrashImage?
        /// Crash automatically when this many mutating operations have run.
        var crashAfterOperations: Int?
        var mutatingOperations = 0
    }

    struct CrashImage {
        var contents: [Int: [UInt8]]
        var names: [String: Int]
        var directories: Set<String>
    }

    let disk: Mutex<Disk>

    public init(seed: UInt64) {
        self.disk = Mutex(Disk(rng: SeededRandom(seed: seed)))
    }

    // MARK: Test controls

    public func inject(_ fault: Fault) { disk.withLock { $0.faults.append(fault) } }
    public func clearFaults() { disk.withLock { $0.faults.removeAll() } }
    public func advanceClock(byMs ms: Int64) { disk.withLock { $0.nowMs += ms } }
    public var nowMs: Int64 { disk.withLock { $0.nowMs } }

    /// Crash on the `count`-th mutating operation from now (it may land partly, as a torn write).
    public func crash(afterOperations count: Int) {
        disk.withLock {
            $0.crashAfterOperations = $0.mutatingOperations + count
        }
    }

    /// Cuts the power now.
    public func crash() { disk.withLock { Self.freeze(&$0) } }

    public var hasCrashed: Bool { disk.withLock { $0.crashImage != nil } }

    /// Restarts from what survived the crash (or, without a crash, from the current state).
    public func reboot() {
        disk.withLock { disk in
            if disk.crashImage == nil { Self.freeze(&disk) }
            guard let image = disk.crashImage else { return }
            disk.contents = image.contents
            disk.durableContents = image.contents
            disk.names = image.names
            disk.durableNames = image.names
            disk.directories = image.directories
            disk.durableDirectories = image.directories
            disk.crashImage = nil
            disk.crashAfterOperations = nil
            disk.faults.removeAll()
        }
    }

    /// Replaces a byte of a file in place (a bit flip on the platter), durably.
    public func corrupt(path: String, offset: Int, with byte: UInt8) {
        disk.withLock { disk in
            guard let id = disk.names[path], var bytes = disk.contents[id], offset < bytes.count else { return }
            bytes[offset] = byte
            disk.contents[id] = bytes
            disk.durableContents[id] = bytes
        }
    }

    /// Every file's current bytes (for scans of the whole disk).
    public func allFiles() -> [String: [UInt8]] {
        disk.withLock { disk in disk.names.compactMapValues { disk.contents[$0] } }
    }

    private static func freeze(_ disk: inout Disk) {
        guard disk.crashImage == nil else { return }
        var contents: [Int: [UInt8]] = [:]
        for id in Set(disk.durableNames.values) {
            let durable = disk.durableContents[id] ?? []
            let current = disk.contents[id] ?? []
            contents[id] = survivingBytes(durable: durable, current: current, rng: &disk.rng)
        }
        disk.crashImage = CrashImage(contents: contents, names: disk.durableNames, directories: disk.durableDirectories)
    }

    /// Durable bytes, plus a random prefix of an appended un-synced tail, whose last bytes may be garbled.
    private static func survivingBytes(durable: [UInt8], current: [UInt8], rng: inout SeededRandom) -> [UInt8] {
        guard current.count > durable.count, current.starts(with: durable) else {
            return rng.next() % 2 == 0 ? durable : current
        }
        let extra = current.count - durable.count
        let kept = Int(rng.next() % UInt64(extra + 1))
        var result = Array(current[..<(durable.count + kept)])
        if kept > 0 && rng.next() % 3 == 0 {
            let garbled = min(kept, Int(rng.next() % 8) + 1)
            for index in (result.count - garbled)..<result.count {
                result[index] = UInt8(truncatingIfNeeded: rng.next())
            }
        }
        return result
    }

    // MARK: Fault and crash plumbing

    /// Checks crash state and fault rules for one operation; returns the fault to apply, if any.
    func gate(_ operation: Operation, _ path: String, mutating: Bool, disk: inout Disk) throws(FileIOError) -> Fault? {
        if disk.crashImage != nil { throw FileIOError(errno: 5, operation: "\(operation)", path: path) }
        if mutating {
            disk.mutatingOperations += 1
            if let limit = disk.crashAfterOperations, disk.mutatingOperations >= limit {
                if operation == .append { return Fault(.append, errno: -1, partialBytes: -1) }
                Self.freeze(&disk)
                throw FileIOError(errno: 5, operation: "\(operation)", path: path)
            }
        }
        guard let index = disk.faults.firstIndex(where: {
            $0.operation == operation && ($0.pathContains.isEmpty || path.contains($0.pathContains))
        }) else { return nil }
        let fault = disk.faults[index]
        if let remaining = fault.remaining {
            if remaining <= 1 { disk.faults.remove(at: index) } else { disk.faults[index].remaining = remaining - 1 }
        }
        if operation == .append && fault.partialBytes > 0 { return fault }
        throw FileIOError(errno: fault.errno, operation: "\(operation)", path: path)
    }

    func crashDuringAppend(_ disk: inout Disk, id: Int, bytes: [UInt8], path: String) throws(FileIOError) -> Never {
        let kept = Int(disk.rng.next() % UInt64(bytes.count + 1))
        disk.contents[id, default: []].append(contentsOf: bytes[..<kept])
        Self.freeze(&disk)
        throw FileIOError(errno: 5, operation: "append", path: path)
    }
}

/// SplitMix64: small, fast and good enough to drive simulations reproducibly.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { self.state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
