@testable import PesaCore
import Testing

@Suite struct RevokedTokenTests {
    static func revoked(_ id: String, expiresAtMs: Int64) -> TenantEvent {
        .tokenRevoked(.init(tokenID: id, userID: Fixtures.userID(1), expiresAtMs: expiresAtMs))
    }

    @Test func aRevokedTokenIsRememberedUntilItsExpiryThenForgotten() throws {
        var state = TenantState()
        try state.apply(Self.revoked("a", expiresAtMs: 5_000), seq: 1, atMs: 1_000)
        try state.apply(Self.revoked("b", expiresAtMs: 50_000), seq: 2, atMs: 2_000)
        try state.apply(Self.revoked("expired", expiresAtMs: 2_500), seq: 3, atMs: 3_000)
        #expect(state.isTokenRevoked("a") && state.isTokenRevoked("b"))
        #expect(!state.isTokenRevoked("expired"))
        #expect(state.accessView.isTokenRevoked("a"))
        try state.apply(Self.revoked("c", expiresAtMs: 60_000), seq: 4, atMs: 5_000)
        #expect(state.revokedTokens == ["b": 50_000, "c": 60_000])
    }

    @Test func aTokenIDMustBeShort() {
        var state = TenantState()
        #expect(throws: PesaCoreError.self) {
            try state.apply(Self.revoked("", expiresAtMs: 5_000), seq: 1, atMs: 1_000)
        }
        let long = String(repeating: "x", count: Limits.tokenIDCharactersMax + 1)
        #expect(throws: PesaCoreError.self) {
            try state.apply(Self.revoked(long, expiresAtMs: 5_000), seq: 1, atMs: 1_000)
        }
        #expect(state.revokedTokens.isEmpty)
    }

    @Test func revokedTokensSurviveASnapshotAndFormatOneIsStillRead() throws {
        var state = try TenantSnapshotTests.richState()
        #expect(state.isTokenRevoked("jti-1"))
        let restored = try TenantState(snapshotPayload: state.snapshotPayload(), formatVersion: 2)
        #expect(restored.isTokenRevoked("jti-1"))
        #expect(restored == state)

        // A format 1 payload is the same without the revoked_tokens section (just before the payment table).
        state.revokedTokens = [:]
        let current = state.snapshotPayload()
        var table = ByteWriter(reservingCapacity: 1024)
        state.payments.write(to: &table)
        let sectionEnd = current.count - 4 - table.bytes.count
        var formatOne = current
        #expect(formatOne[(sectionEnd - 8)..<sectionEnd].allSatisfy { $0 == 0 })
        formatOne.removeSubrange((sectionEnd - 8)..<sectionEnd)
        let old = try TenantState(snapshotPayload: formatOne, formatVersion: 1)
        #expect(old == state)
        #expect(throws: EventDecodingError.self) { try TenantState(snapshotPayload: formatOne, formatVersion: 2) }
    }
}
