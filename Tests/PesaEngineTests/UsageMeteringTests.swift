import PesaCore
import PesaStore
import Testing

@testable import PesaEngine

/// Usage in the engine: API calls counted in memory show at once and are journaled at each flush and at a
/// clean stop; usage equals what was done across a restart and after a snapshot; one organization's usage is
/// never another's; a super admin sees every organization's with the same numbers.
@Suite struct UsageMeteringTests {
    static let month = KenyaTime.monthKey(ms: FixedClock().nowMs())

    @Test func apiCallsAreCountedJournaledAndKeptAcrossARestart() async throws {
        var harness = try await EngineHarness.start(snapshotEvery: 3)
        let acme = try await harness.makeOrganization("acme")
        let globex = try await harness.makeOrganization("globex")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        let now = FixedClock().nowMs()
        for _ in 0..<5 { harness.gateway.apiCalls.count(acme, nowMs: now) }
        harness.gateway.apiCalls.count(globex, nowMs: now)
        // Counted but not journaled yet: shown at once.
        #expect(try await harness.gateway.usage(month: nil, in: acme, by: admin).apiCalls == 5)
        await harness.gateway.flushAPICalls()
        for _ in 0..<3 { harness.gateway.apiCalls.count(acme, nowMs: now) }
        await harness.gateway.flushAPICalls()
        harness.gateway.apiCalls.count(acme, nowMs: now)  // journaled by the clean stop
        let journaled = try await harness.gateway.engine(acme).read { state in state.apiCallsByMonth[Self.month] }
        #expect(journaled == 8)
        harness = try await harness.restarted()
        #expect(try await harness.gateway.usage(month: Self.month, in: acme, by: admin).apiCalls == 9)
        let other = EngineHarness.member(.orgAdmin, of: globex)
        #expect(try await harness.gateway.usage(month: Self.month, in: globex, by: other).apiCalls == 1)
        // Another organization's usage is not found; a user may not read usage; a bad month is named.
        #expect(
            await #expect(throws: EngineError.self) {
                try await harness.gateway.usage(month: nil, in: globex, by: admin)
            }?.code == .notFound)
        #expect(
            await #expect(throws: EngineError.self) {
                try await harness.gateway.usage(month: nil, in: acme, by: EngineHarness.member(.user, of: acme))
            }?.code == .forbidden)
        #expect(
            await #expect(throws: EngineError.self) {
                try await harness.gateway.usage(month: "2026-13", in: acme, by: admin)
            }?.param == "month")
        let all = try await harness.gateway.allUsage(month: Self.month, by: EngineHarness.superAdmin)
        #expect(Dictionary(uniqueKeysWithValues: all.map { ($0.slug, $0.usage.apiCalls) }) == ["acme": 9, "globex": 1])
        #expect(
            await #expect(throws: EngineError.self) {
                try await harness.gateway.allUsage(month: nil, by: admin)
            }?.code == .forbidden)
        await harness.gateway.close()
    }

    @Test func usageEqualsWhatWasDoneAcrossARestartAndASnapshot() async throws {
        try await PaymentsHarness.run { harness in
            let (gateway, org, admin) = (harness.gateway, harness.organization, harness.admin)
            let key = IdempotencyInput(key: "order-1", requestHash: String(repeating: "ab", count: 32))
            let first = try await harness.push("254708374149", amount: 30, idempotency: key)
            let retried = try await harness.push("254708374149", amount: 30, idempotency: key)
            #expect(retried.isReplay && retried.payment.id == first.payment.id)  // one unit, not two
            _ = try await harness.deliverCallbacks(count: 1)
            let failed = try await harness.push("254700001032", amount: 20)
            _ = try await harness.deliverCallbacks(count: 2)
            _ = try await harness.payout("254708374149", amount: 100)
            _ = try await harness.deliverCallbacks(.b2cResult, count: 1)
            _ = try await gateway.balanceCheck(in: org, by: admin)
            let month = KenyaTime.monthKey(ms: first.payment.createdAtMs)
            let usage = try await gateway.usage(month: month, in: org, by: admin)
            #expect(usage.count(.stkPushes).count == 2)
            #expect(usage.count(.collectionsSucceeded).count == 1)
            #expect(usage.count(.collectionsSucceeded).volume == Amount(shillings: 30))
            #expect(usage.count(.payouts).count == 1)
            #expect(usage.count(.payoutsSucceeded).volume == Amount(shillings: 100))
            #expect(usage.count(.balanceChecks).count == 1)
            #expect(usage.byShortCode["174379"]?[.stkPushes]?.count == 2)
            #expect(try await harness.payment(failed.payment.id).status == .cancelled)
            // What a snapshot reads back and a replay of the whole journal both give the same numbers.
            let engine = try await gateway.engine(org)
            let state = try await engine.read { state in state }
            let restored = try TenantState(
                snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
            #expect(restored.usage(month: month) == state.usage(month: month))
        }
    }
}
