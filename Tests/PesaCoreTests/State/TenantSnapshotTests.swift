@testable import PesaCore
import Testing

@Suite struct TenantSnapshotTests {
    /// A tenant with one of everything.
    static func richState() throws -> TenantState {
        var state = TenantState()
        try state.applyAll(TenantEventCodingTests.samples.filter {
            switch $0 {
            // A retry needs rows that failed first; the batch stays as its rows were added. A part of a C2B
            // validation list follows its beginning (below).
            case .userDeleted, .webhookEndpointDeleted, .batchChanged, .c2bValidationReferencesAdded: false
            default: true
            }
        })
        try state.applyAll([
            .c2bValidationSet(.init(rejectUnknown: true, accountReferences: ["INV-1"], referenceCount: 2)),
            .c2bValidationReferencesAdded(.init(accountReferences: ["INV-3"])),
        ])
        try state.applyAll([
            .usageRecorded(.init(month: "2026-12", apiCalls: 1)),
            .callbackReceived(.init(kind: .stk, body: "{}", disposition: .orphan)),
        ])
        try state.applyAll([Fixtures.stk(10, key: "k10"), Fixtures.accepted(10), Fixtures.stk(11),
                            Fixtures.settled(10)])
        return state
    }

    @Test func roundTripsToEqualStateAndBytes() throws {
        let state = try Self.richState()
        let payload = state.snapshotPayload()
        let restored = try TenantState(snapshotPayload: payload, formatVersion: TenantState.snapshotFormatVersion)
        #expect(restored == state)
        #expect(restored.snapshotPayload() == payload)
        #expect(restored.payments.row(forCheckoutRequestID: "ws_CO_140320251015241810") == 4)
        #expect(restored.payments.row(forIdempotencyKey: "k10") == 4)
        #expect(restored.user(email: "a@acme.co.ke") != nil)
        #expect(restored.webhookEndpoints[Fixtures.endpointID]?.secretHint == "whsec_…y2")
        #expect(restored.apiCallsByMonth == ["2026-11": 42, "2026-12": 1])
        let query = try #require(restored.query(conversationID: "AG_20261128_1"))
        #expect(query.status == .completed)
        #expect(query.parameters == ["TransactionStatus": "Completed"])
        #expect(query.paymentID == Fixtures.paymentID(2))
        // The list written in two parts, last.
        #expect(restored.c2bValidation?.accountReferences == ["INV-1", "INV-3"])
        #expect(restored.c2bValidation?.accepts(accountReference: "inv-3 ") == true)
        #expect(restored.c2bValidation?.accepts(accountReference: "acc2") == false)
        #expect(restored.unmatchedCallbacks.recent(nowMs: state.lastAtMs)?.count == 1)
    }

    @Test func snapshotPlusTailEqualsFullReplay() throws {
        var events: [TenantEvent] = [Fixtures.organizationCreated]
        for seed in UInt64(1)...300 {
            events += [Fixtures.stk(seed), Fixtures.accepted(seed)]
            if seed % 3 != 0 { events.append(Fixtures.settled(seed, code: seed % 2 == 0 ? "0" : "1037")) }
        }
        var full = TenantState()
        try full.applyAll(events)
        for cut in [1, 2, 100, 555, events.count - 1] {
            var prefix = TenantState()
            try prefix.applyAll(Array(events[..<cut]))
            var resumed = try TenantState(
                snapshotPayload: prefix.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
            try resumed.applyAll(Array(events[cut...]))
            #expect(resumed == full, "cut at \(cut)")
            #expect(resumed.snapshotPayload() == full.snapshotPayload(), "cut at \(cut)")
        }
    }

    @Test func newerFormatsAreRefused() throws {
        let payload = TenantState().snapshotPayload()
        do {
            _ = try TenantState(snapshotPayload: payload, formatVersion: TenantState.snapshotFormatVersion + 1)
            Issue.record("a newer format was read")
        } catch {
            #expect(error.message.contains("newer than this binary knows"))
        }
    }

    @Test func damagedPayloadsThrowInsteadOfCrashing() throws {
        let payload = try Self.richState().snapshotPayload()
        for length in stride(from: 0, to: payload.count, by: 7) {
            #expect(throws: EventDecodingError.self) {
                try TenantState(
                    snapshotPayload: Array(payload[..<length]), formatVersion: TenantState.snapshotFormatVersion)
            }
        }
        #expect(throws: EventDecodingError.self) {
            try TenantState(snapshotPayload: payload + [0], formatVersion: TenantState.snapshotFormatVersion)
        }
    }

    @Test func garbageInTheArenaDoesNotChangeEqualityOrBytes() throws {
        var table = PaymentTable()
        var payment = Payment(id: Fixtures.paymentID(1), type: .stkPush, status: .pending, amount: .zero,
                              phone: "254708374149", createdAtMs: 1)
        table.append(payment)
        let before = table
        payment.checkoutRequestID = "ws_1"
        table.update(at: 0) { $0 = payment }
        payment.checkoutRequestID = nil
        table.update(at: 0) { $0 = payment }
        #expect(table.arena.usedBytes > before.arena.usedBytes)
        #expect(table == before)
        var writerA = ByteWriter()
        var writerB = ByteWriter()
        table.write(to: &writerA, formatVersion: TenantState.snapshotFormatVersion)
        before.write(to: &writerB, formatVersion: TenantState.snapshotFormatVersion)
        #expect(writerA.bytes == writerB.bytes)
    }

    @Test func longTextsAreCutAtCharacterBoundaries() {
        let long = String(repeating: "é", count: 200)
        let cut = PaymentTable.truncated(long)
        #expect(cut.utf8.count == 238 && cut.count == 119)
    }

    @Test(arguments: [
        String(repeating: "ab", count: 32), String(repeating: "AB", count: 32), String(repeating: "ag", count: 32),
        "7f1c2d3e-aaaa-4a5b-8c9d-0123456789ab", "7F1C2D3E-AAAA-4A5B-8C9D-0123456789AB",
        "7f1c2d3e_aaaa-4a5b-8c9d-0123456789ab", "7f1c2d3e-aaaa-4a5b-8c9d-0123456789a-", "", "é", "k-1",
    ])
    func textFieldsRoundTripExactly(text: String) {
        var bytes: [UInt8] = []
        TextField.encode(text, into: &bytes)
        #expect(bytes.count == 1 + TextField.bodyLength(bytes[0]))
        #expect(TextField.decode(header: bytes[0], body: bytes[1...]) == text)
    }

    @Test func binaryFormsAreCompact() {
        var hash: [UInt8] = []
        TextField.encode(String(repeating: "0f", count: 32), into: &hash)
        var uuid: [UInt8] = []
        TextField.encode("7f1c2d3e-aaaa-4a5b-8c9d-0123456789ab", into: &uuid)
        #expect(hash.count == 33 && uuid.count == 17)
    }

    @Test func lookupsFindBinaryEncodedKeys() throws {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated, Fixtures.stk(1, key: "7f1c2d3e-aaaa-4a5b-8c9d-0123456789ab")])
        let restored = try TenantState(
            snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        #expect(restored.payments.row(forIdempotencyKey: "7f1c2d3e-aaaa-4a5b-8c9d-0123456789ab") == 0)
        #expect(state.payments.row(forIdempotencyKey: "7f1c2d3e-aaaa-4a5b-8c9d-0123456789ab") == 0)
        #expect(restored.payments.row(forIdempotencyKey: "7F1C2D3E-AAAA-4A5B-8C9D-0123456789AB") == nil)
        #expect(restored.payment(id: Fixtures.paymentID(1))?.requestHash == String(repeating: "ab", count: 32))
    }
}

@Suite struct SnapshotDamageTests {
    /// Every single flipped byte either throws or reads as some state; nothing crashes.
    @Test func flippedBytesNeverCrash() async throws {
        let payload = try TenantSnapshotTests.richState().snapshotPayload()
        let refused = try await onOwnThread {
            payload.indices.count { index in
                var damaged = payload
                damaged[index] ^= 0xFF
                return (try? TenantState(snapshotPayload: damaged, formatVersion: TenantState.snapshotFormatVersion))
                    == nil
            }
        }
        #expect(refused > payload.count / 4)
    }
}
