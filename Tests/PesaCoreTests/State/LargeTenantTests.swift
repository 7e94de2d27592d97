import PesaCore
import Testing

/// Many payments through the reducer and a snapshot round trip. Not timed (benchmarks measure speed).
@Suite struct LargeTenantTests {
    static let paymentCount: UInt64 = 100_000

    /// What the round trip found, gathered off the cooperative pool (`onOwnThread`).
    struct RoundTrip: Sendable {
        let payments: Int
        let payloadBytes: Int
        let restoredEqualsState: Bool
        let payloadRewrittenAlike: Bool
        let checkoutRow: Int?
        let idAtCheckoutRow: PaymentID?
        let receiptRow: Int?
        let idempotencyKeyRow: Int?
    }

    @Test func manyPaymentsRoundTripThroughASnapshot() async throws {
        let probe = Self.paymentCount / 2 + 2  // settled with a receipt (not a multiple of 3 or 4)
        let found = try await onOwnThread { () throws -> RoundTrip in
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
            let payload = state.snapshotPayload()
            let restored = try TenantState(snapshotPayload: payload, formatVersion: TenantState.snapshotFormatVersion)
            let row = restored.payments.row(forCheckoutRequestID: "ws_CO_1403202510152418\(probe)")
            return RoundTrip(
                payments: state.payments.count, payloadBytes: payload.count, restoredEqualsState: restored == state,
                payloadRewrittenAlike: restored.snapshotPayload() == payload, checkoutRow: row,
                idAtCheckoutRow: row.map { restored.payments.id(at: $0) },
                receiptRow: restored.payments.row(forReceipt: "RCP\(probe)"),
                idempotencyKeyRow: restored.payments.row(forIdempotencyKey: "key-\(Self.paymentCount)"))
        }
        #expect(found.payments == Int(Self.paymentCount))
        #expect(found.restoredEqualsState)
        #expect(found.payloadRewrittenAlike)
        let row = try #require(found.checkoutRow)
        #expect(found.idAtCheckoutRow == Fixtures.paymentID(probe))
        #expect(found.receiptRow == row)
        #expect(found.idempotencyKeyRow == Int(Self.paymentCount) - 1)
        print("snapshot of \(Self.paymentCount) payments: \(found.payloadBytes) bytes")
    }
}
