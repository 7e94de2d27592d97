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
        let restored = try TenantState(
            snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        #expect(restored.isTokenRevoked("jti-1"))
        #expect(restored == state)

        // Format 1 (no revoked tokens, queries, C2B validation or password change times) is still read.
        state.revokedTokens = [:]
        state.queries = [:]
        state.queryIDsByConversation = [:]
        state.c2bValidation = nil
        for id in state.users.keys { state.users[id]?.passwordChangedAtMs = nil }
        // Before profiles (format 7) a folder held one credential set: the default profile alone.
        state.shortCodes = state.shortCodes.filter { $0.value.isDefault }
        state.plans = [:]  // plans live in the system folder since format 7
        // Billing, rate limit bursts and API keys' own limits came with format 8.
        state.organization?.rateLimitBurstOverride = nil
        for id in state.apiKeys.keys { state.apiKeys[id]?.rateLimit = nil }
        state.billing = BillingState(legacy: state.organization)
        // Batches and their settings came with format 9.
        state.batches = [:]
        state.batchSettings = nil
        state.batchRowsByPayment = [:]
        // Webhook events, deliveries and the endpoints' description, enabled flag and failures came with format 10.
        state.webhookEvents = [:]
        state.webhookEventOrder = []
        state.webhookDeliveries = [:]
        state.pendingWebhookDeliveries = []
        state.webhookSchedule = WebhookSchedule()
        state.webhooksDeliveredByMonth = [:]
        for id in state.webhookEndpoints.keys {
            state.webhookEndpoints[id]?.description = nil
            state.webhookEndpoints[id]?.enabled = true
            state.webhookEndpoints[id]?.disabledReason = nil
            state.webhookEndpoints[id]?.failingSinceMs = nil
        }
        // The callbacks that matched no payment came with format 11: unknown until the snapshot's last event.
        state = state.readBeforeFormat11()
        let formatOne = state.snapshotPayload(formatVersion: 1)
        #expect(formatOne.count < state.snapshotPayload().count)
        let old = try TenantState(snapshotPayload: formatOne, formatVersion: 1)
        #expect(old == state)
        #expect(throws: EventDecodingError.self) { try TenantState(snapshotPayload: formatOne, formatVersion: 2) }
    }

    /// Format 3 added the organization's previous callback token and its grace; format 2 is still read.
    @Test func aRotatedCallbackTokenSurvivesASnapshotAndFormatTwoIsStillRead() throws {
        var state = TenantState()
        try state.apply(Fixtures.organizationCreated, seq: 1, atMs: 10)
        let old = try #require(state.organization?.callbackToken)
        try state.apply(
            .organizationUpdated(.init(callbackToken: "new", previousCallbackTokenValidUntilMs: 5_000)), seq: 2,
            atMs: 20)
        #expect(state.organization?.previousCallbackToken == old)
        #expect(state.organization?.acceptedCallbackTokens(nowMs: 4_999) == ["new", old])
        #expect(state.organization?.acceptedCallbackTokens(nowMs: 5_000) == ["new"])
        #expect(state.organization?.acceptedCallbackTokens(nowMs: 9_999_999) == ["new"])
        let restored = try TenantState(snapshotPayload: state.snapshotPayload(formatVersion: 3), formatVersion: 3)
        var expected = state.readBeforeFormat11()
        expected.billing = BillingState(legacy: state.organization)  // before format 8: what the record implies
        #expect(restored == expected)
        // The same token again, or a grace without a token, is not an event the state takes.
        #expect(throws: (any Error).self) {
            try state.apply(.organizationUpdated(.init(callbackToken: "new")), seq: 3, atMs: 30)
        }
        #expect(throws: (any Error).self) {
            try state.apply(.organizationUpdated(.init(previousCallbackTokenValidUntilMs: 1)), seq: 3, atMs: 30)
        }
        // Format 2 knows no previous token.
        state.organization?.previousCallbackToken = nil
        state.organization?.previousCallbackTokenValidUntilMs = nil
        state.billing = BillingState(legacy: state.organization)
        let formatTwo = state.snapshotPayload(formatVersion: 2)
        #expect(try TenantState(snapshotPayload: formatTwo, formatVersion: 2) == state.readBeforeFormat11())
    }

    @Test func anyChangeToAUserEndsTheTokensIssuedUpToItsMillisecondAndSurvivesASnapshot() throws {
        var state = TenantState()
        let user = Fixtures.userID(1)
        try state.apply(
            .userCreated(.init(userID: user, email: "a@acme.co.ke", role: .user, passwordHash: "h1")), seq: 1,
            atMs: 1_000_000)
        #expect(state.user(id: user)?.predatesChange(issuedAtMs: 1_000_001) == false)
        try state.apply(.userUpdated(.init(userID: user, role: .manager)), seq: 2, atMs: 2_000_500)
        #expect(state.user(id: user)?.passwordChangedAtMs == nil)
        #expect(state.user(id: user)?.predatesChange(issuedAtMs: 2_000_499) == true)
        try state.apply(.userUpdated(.init(userID: user, passwordHash: "h2")), seq: 3, atMs: 3_000_500)
        let changed = try #require(state.user(id: user))
        #expect(changed.passwordChangedAtMs == 3_000_500)
        // The same second, to the millisecond: before (or at) the change is over, after it lives.
        #expect(changed.predatesChange(issuedAtMs: 3_000_000))
        #expect(changed.predatesChange(issuedAtMs: 3_000_500))
        #expect(!changed.predatesChange(issuedAtMs: 3_000_501))
        let restored = try TenantState(
            snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        #expect(restored.user(id: user)?.passwordChangedAtMs == 3_000_500)
    }
}
