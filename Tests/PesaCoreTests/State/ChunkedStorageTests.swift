@testable import PesaCore
import Testing

/// The payment table's chunked storage: columns copied a chunk at a time, text records whose garbage is
/// reclaimed chunk by chunk. Behaviour only (the pauses it removes are measured by `pesa-bench payments`).
@Suite struct ChunkedStorageTests {
    @Test func chunkedArrayReadsWritesAndAppendsAcrossChunks() {
        let size = ChunkedArray<Int>.chunkCount
        var array = ChunkedArray<Int>()
        var plain: [Int] = []
        for value in 0..<(3 * size + 5) {
            array.append(value * 7)
            plain.append(value * 7)
        }
        for index in [0, size - 1, size, 2 * size + 1, 3 * size + 4] {
            array[index] = -index
            plain[index] = -index
        }
        #expect(array.count == plain.count)
        #expect((0..<plain.count).allSatisfy { array[$0] == plain[$0] })
        #expect(array == ChunkedArray(plain))
        #expect(array.chunks.count == 4 && array.chunks.allSatisfy { $0.count <= size })
    }

    @Test func aCopyChangesIndependentlyOfTheOriginal() {
        var original = ChunkedArray(Array(0..<10_000))
        var copy = original
        copy[5_000] = -1
        copy.append(10_000)
        original[1] = -2
        #expect(original[5_000] == 5_000 && original.count == 10_000 && original[1] == -2)
        #expect(copy[5_000] == -1 && copy.count == 10_001 && copy[1] == 1)
    }

    @Test func aChunkedColumnIsWrittenLikeAContiguousOne() {
        let values = (0..<9_000).map { UInt32($0 &* 2_654_435_761 & 0xFFFF_FFFF) }
        var chunked = ByteWriter()
        chunked.column(ChunkedArray(values))
        var contiguous = ByteWriter()
        contiguous.column(values)
        #expect(chunked.bytes == contiguous.bytes)
    }

    /// Payments created, acknowledged and settled in waves, as under load: each one's text record is
    /// rewritten twice, so two of every three records become garbage.
    static func wavesOfPayments(_ count: UInt64, into state: inout TenantState, from first: UInt64 = 1) throws {
        var seed = first
        while seed < first + count {
            let wave = seed..<min(seed + 300, first + count)
            try state.applyAll(wave.map { Fixtures.stk($0, key: "key-\($0)") })
            try state.applyAll(wave.map { Fixtures.accepted($0) })
            try state.applyAll(wave.map { Fixtures.settled($0, code: $0 % 5 == 0 ? "1032" : "0") })
            seed = wave.upperBound
        }
    }

    /// A tenant with `count` payments made in waves, built on a thread of its own (`onOwnThread`).
    static func stateOfWaves(_ count: UInt64) async throws -> TenantState {
        try await onOwnThread {
            var state = TenantState()
            try state.applyAll([Fixtures.organizationCreated])
            try wavesOfPayments(count, into: &state)
            return state
        }
    }

    @Test func garbageIsReclaimedAndEveryRowStillReadsRight() async throws {
        let state = try await Self.stateOfWaves(20_000)
        let arena = state.payments.arena
        #expect(arena.chunks.contains { $0.bytes.isEmpty }, "no chunk was ever emptied")
        #expect(arena.usedBytes <= 2 * arena.liveBytes + 2 * TextArena.chunkBytes)
        for seed in stride(from: UInt64(1), through: 20_000, by: 97) {
            let row = try #require(state.payments.row(for: Fixtures.paymentID(seed)))
            let payment = state.payments.payment(at: row)
            #expect(payment.checkoutRequestID == "ws_CO_1403202510152418\(seed)")
            #expect(payment.idempotencyKey == "key-\(seed)" && payment.accountReference == "INV\(seed % 1000)")
            #expect(payment.mpesaReceipt == (seed % 5 == 0 ? nil : "RCP\(seed)"))
            #expect(state.payments.row(forCheckoutRequestID: "ws_CO_1403202510152418\(seed)") == row)
            #expect(state.payments.row(forIdempotencyKey: "key-\(seed)") == row)
        }
        let (equal, compact) = try await onOwnThread {
            let restored = try TenantState(
                snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
            return (restored == state, restored.payments.arena.usedBytes == restored.payments.arena.liveBytes)
        }
        #expect(equal)
        #expect(compact)
    }

    @Test func aSnapshotCopyIsUntouchedByLaterWrites() async throws {
        let (unchanged, copyCount, laterCount) = try await onOwnThread {
            var state = TenantState()
            try state.applyAll([Fixtures.organizationCreated])
            try Self.wavesOfPayments(5_000, into: &state)
            let copy = state
            let payload = copy.snapshotPayload()
            try Self.wavesOfPayments(5_000, into: &state, from: 5_001)
            try state.applyAll([Fixtures.settled(17, code: "0")])
            return (copy.snapshotPayload() == payload, copy.payments.count, state.payments.count)
        }
        #expect(unchanged)
        #expect(copyCount == 5_000 && laterCount == 10_000)
    }

    @Test func rowsLoadedFromASnapshotAreRewrittenIntoChunks() throws {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated])
        try state.applyAll((1...2_000).map { Fixtures.stk($0) })
        var loaded = try TenantState(
            snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        let base = loaded.payments.arena.baseCount
        try loaded.applyAll((1...2_000).map { Fixtures.accepted($0) })
        try state.applyAll((1...2_000).map { Fixtures.accepted($0) })
        #expect(loaded == state)
        #expect(loaded.payments.arena.baseGarbage == base, "every loaded record was superseded once")
        #expect(loaded.payments.row(forCheckoutRequestID: "ws_CO_14032025101524181999") != nil)
    }
}

extension ChunkedStorageTests {
    @Test func anEmptyTextAtTheVeryEndOfAFullChunkReads() {
        var arena = TextArena()
        let first = arena.append([UInt8](repeating: 7, count: TextArena.chunkBytes), row: 0)
        #expect(first == 0 && arena[TextArena.chunkBytes..<TextArena.chunkBytes].isEmpty)
        #expect(arena[(TextArena.chunkBytes - 2)..<TextArena.chunkBytes] == [7, 7])
    }

    /// Texts of every length, in random order of creation, acknowledgement and settlement: records end at
    /// every offset of a chunk, including its last byte.
    @Test func recordsOfEveryLengthInRandomOrderAllReadBack() async throws {
        let seed = SeededGenerator.seed("ChunkedStorageTests")
        let (state, settled) = try await onOwnThread { () throws -> (TenantState, Int) in
            var state = TenantState()
            try state.applyAll([Fixtures.organizationCreated])
            var generator = SeededGenerator(seed: seed)
            var created: [UInt64] = []
            var accepted: [UInt64] = []
            var settled = 0
            for number in UInt64(1)...30_000 {
                let reference = String(repeating: "R", count: Int(number % 12) + 1)
                guard case .stkPushRequested(var data) = Fixtures.stk(number, key: "key-\(number)") else { break }
                data.accountReference = reference
                try state.applyAll([.stkPushRequested(data)])
                created.append(number)
                if Bool.random(using: &generator), !created.isEmpty {
                    let picked = created.remove(at: Int.random(in: 0..<created.count, using: &generator))
                    try state.applyAll([Fixtures.accepted(picked)])
                    accepted.append(picked)
                }
                if Bool.random(using: &generator), !accepted.isEmpty {
                    let picked = accepted.remove(at: Int.random(in: 0..<accepted.count, using: &generator))
                    try state.applyAll([Fixtures.settled(picked)])
                    settled += 1
                }
            }
            return (state, settled)
        }
        #expect(state.payments.count == 30_000, "seed \(seed)")
        #expect(settled > 10_000, "seed \(seed)")
        let misread = try await onOwnThread {
            (0..<state.payments.count).filter { row in
                let payment = state.payments.payment(at: row)
                let number = UInt64(row + 1)
                return payment.id != Fixtures.paymentID(number)
                    || payment.accountReference != String(repeating: "R", count: Int(number % 12) + 1)
            }
        }
        #expect(misread.isEmpty, "seed \(seed): rows \(misread.prefix(10)) read back wrong")
        #expect(
            state.payments.arena.usedBytes <= 2 * state.payments.arena.liveBytes + 2 * TextArena.chunkBytes,
            "seed \(seed)")
        let equal = try await onOwnThread {
            try TenantState(snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
                == state
        }
        #expect(equal, "seed \(seed)")
    }
}

extension ChunkedStorageTests {
    /// A background snapshot pauses between slices of rows and still writes the same bytes.
    @Test func aPausedSnapshotWritesTheSameBytes() async throws {
        let state = try await Self.stateOfWaves(10_000)
        let (same, pauses) = try await onOwnThread {
            var pauses = 0
            let paused = state.snapshotPayload { pauses += 1 }
            return (paused == state.snapshotPayload(), pauses)
        }
        #expect(same)
        #expect(pauses == 2 * (10_000 / PaymentTable.pauseEveryRows))
    }
}
