import Foundation
import Testing

@testable import PesaStore

/// zlib in slices (so maintenance can pause between them) gives the same streams and checks as before.
@Suite struct GzipPacingTests {
    /// Bytes that compress somewhat, like journal lines: repeated text with a counter.
    static func sample(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var line = 0
        while bytes.count < count {
            bytes += Array(#"{"seq":\#(line),"type":"payment.settled","data":{"amount":\#(line % 977)}}"#.utf8) + [0x0a]
            line += 1
        }
        return Array(bytes.prefix(count))
    }

    @Test(arguments: [
        0, 1, Pacing.sliceBytes - 1, Pacing.sliceBytes, Pacing.sliceBytes + 1, 3 * Pacing.sliceBytes + 12_345,
    ])
    func roundTripsAcrossSliceBoundaries(count: Int) throws {
        let bytes = Self.sample(count)
        for fast in [true, false] {
            let compressed = Gzip.compress(bytes, fast: fast)
            #expect(Gzip.decompress(compressed[...], expectedBytes: count) == bytes)
            #expect(Gzip.decompress(compressed[...], maxBytes: count) == bytes)
        }
    }

    @Test func refusesAWrongSizeTrailingBytesAndDamage() throws {
        let bytes = Self.sample(2 * Pacing.sliceBytes + 100)
        let compressed = Gzip.compress(bytes, fast: true)
        #expect(Gzip.decompress(compressed[...], expectedBytes: bytes.count - 1) == nil)
        #expect(Gzip.decompress(compressed[...], expectedBytes: bytes.count + 1) == nil)
        // Trailing garbage, also when the stream ends exactly at a slice boundary of the input.
        #expect(Gzip.decompress((compressed + [0x00])[...], expectedBytes: bytes.count) == nil)
        let padding = [UInt8](repeating: 0x1f, count: Pacing.sliceBytes - compressed.count % Pacing.sliceBytes)
        let aligned = compressed + padding
        #expect(Gzip.decompress(aligned[...], expectedBytes: bytes.count) == nil)
        #expect(Gzip.decompress((aligned + [0x00])[...], expectedBytes: bytes.count) == nil)
        var damaged = compressed
        damaged[damaged.count / 2] ^= 0x40
        #expect(Gzip.decompress(damaged[...], expectedBytes: bytes.count) == nil)
        #expect(Gzip.decompress(compressed.dropLast(10), expectedBytes: bytes.count) == nil)
    }

    /// Whether and how long `pause()` sleeps is checked through the sleep it asks for, not the wall clock, so
    /// a busy machine delaying the test thread cannot fail it.
    @Test func aPacedThreadSleepsToKeepItsShare() {
        let clock = ContinuousClock()
        /// Spins for `work`, calling `pause()` after each millisecond; returns the sleeps asked for.
        func spin(_ work: Duration) -> [Duration] {
            var sleeps: [Duration] = []
            var worked = Duration.zero
            while worked < work {
                let start = clock.now
                while clock.now - start < .milliseconds(1) {}
                worked += clock.now - start
                sleeps.append(Pacing.pause())
            }
            return sleeps
        }
        let work = Duration.milliseconds(20)
        // Unpaced: pause() never sleeps, however long the thread has worked.
        #expect(spin(work).allSatisfy { $0 == .zero })
        // Paced: every stretch of work but the last (shorter than `stretch`, since `pause()` sleeps after any
        // longer one) is followed by a sleep of (1 - share) / share times its length.
        var sleeps: [Duration] = []
        let paced = clock.measure { sleeps = Pacing.paced { spin(work) } }
        let slept = sleeps.reduce(Duration.zero, +)
        #expect(slept >= (work - Pacing.stretch) * ((1 - Pacing.share) / Pacing.share))
        #expect(sleeps.contains { $0 > .zero })
        // Sleeps are never shorter than asked.
        #expect(paced >= work + slept)
        // Pacing ends with `paced`.
        #expect(!Pacing.isActive)
        #expect(spin(work).allSatisfy { $0 == .zero })
    }
}

extension GzipPacingTests {
    /// A paced thread (maintenance) writes large files in durable slices; the file is the same either way.
    @Test(arguments: [0, 1, Pacing.sliceBytes, 2 * Pacing.sliceBytes + 777])
    func aPacedWriteInSlicesWritesTheSameFile(count: Int) throws {
        let directory =
            FileManager.default.temporaryDirectory.path + "/pesa-slices-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let io = PosixFileIO()
        let bytes = Self.sample(count)
        #expect(!Pacing.isActive)
        #if os(Linux)
            #expect(SyncFileRange.function != nil)
        #endif
        try Pacing.paced {
            #expect(Pacing.isActive)
            try io.replaceFileAtomically(at: directory + "/paced", contents: bytes, tempSuffix: "new")
        }
        try io.replaceFileAtomically(at: directory + "/unpaced", contents: bytes, tempSuffix: "new")
        #expect(try io.readFile(at: directory + "/paced") == bytes)
        #expect(try io.readFile(at: directory + "/unpaced") == bytes)
        #expect(try io.listDirectory(at: directory).sorted() == ["paced", "unpaced"])
    }
}

extension GzipPacingTests {
    @Test(arguments: [0, 1, Pacing.sliceBytes, 2 * Pacing.sliceBytes + 5])
    func aPacedHashIsTheSameHash(count: Int) {
        let bytes = Self.sample(count)
        #expect(ChainHash.ofPaced(bytes) == ChainHash.of(bytes))
        #expect(Pacing.paced { ChainHash.ofPaced(bytes) } == ChainHash.of(bytes))
    }
}

/// Maintenance threads run at the lowest priority; the threads that start them keep theirs.
@Suite struct MaintenancePriorityTests {
    @Test func aBackgroundThreadRunsAtTheMaintenanceNiceValue() async {
        let callerBefore = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let (inside, paced, name) = await withCheckedContinuation {
            (continuation: CheckedContinuation<(Int32, Bool, String), Never>) in
            BlockingIO.detachedInBackground {
                let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
                let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
                continuation.resume(returning: (nice, Pacing.isActive, comm.trimmingCharacters(in: .newlines)))
            }
        }
        #expect(inside == BlockingIO.maintenanceNice)
        #expect(paced)
        #expect(name == BlockingIO.maintenanceThreadName)
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == callerBefore)
        #expect(callerBefore != BlockingIO.maintenanceNice)
    }
}
