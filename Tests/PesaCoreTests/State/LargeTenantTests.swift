import PesaCore
import Testing

/// Many payments through the reducer and a snapshot round trip. Not timed (benchmarks measure speed).
@Suite struct LargeTenantTests {
    static let paymentCount: UInt64 = 100_000

    @Test func manyPaymentsRoundTripThroughASnapshot() throws {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated])
        var seq = state.lastSeq
        for seed in 1...Self.paymentCount {
            var events = [Fixtures.stk(seed, key: seed % 10 == 0 ? "key-\(seed)" : nil), Fixtures.accepted(seed)]
            if seed % 4 != 0 { events.append(Fixtures.settled(seed, code: seed % 3 == 0 ? "1032" : "0")) }
            for event in events {
                seq += 1
                try state.apply(event, seq: seq, atMs: 1_700_000_000_000 + Int64(seq))
            }
        }
        #expect(state.payments.count == Int(Self.paymentCount))
        let payload = state.snapshotPayload()
        let restored = try TenantState(snapshotPayload: payload, formatVersion: TenantState.snapshotFormatVersion)
        #expect(restored == state)
        #expect(restored.snapshotPayload() == payload)
        let probe = Self.paymentCount / 2 + 2  // settled with a receipt (not a multiple of 3 or 4)
        let row = try #require(restored.payments.row(forCheckoutRequestID: "ws_CO_1403202510152418\(probe)"))
        #expect(restored.payments.id(at: row) == Fixtures.paymentID(probe))
        #expect(restored.payments.row(forReceipt: "RCP\(probe)") == row)
        #expect(restored.payments.row(forIdempotencyKey: "key-\(Self.paymentCount)") == Int(Self.paymentCount) - 1)
        print("snapshot of \(Self.paymentCount) payments: \(payload.count) bytes")
    }
}
