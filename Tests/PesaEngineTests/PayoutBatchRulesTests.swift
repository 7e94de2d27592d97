import PesaCore
import Testing

@testable import PesaEngine

/// The organization's batch rules: a batch no one approves within 24 hours expires with nothing sent, and a
/// batch above the paying short code's last known balance is warned about, or refused when the organization says
/// so.
@Suite struct PayoutBatchRulesTests {
    @Test func anUnapprovedBatchExpiresAfterADay() async throws {
        let clock = SettableClock(SystemWallClock().nowMs())
        try await PaymentsHarness.run(clock: clock) { harness in
            let gateway = harness.gateway
            _ = try await gateway.savePayoutBatchSettings(
                BatchSettings(approval: .all), in: harness.organization, by: harness.admin)
            let created = try await gateway.createPayoutBatch(
                PayoutBatchTests.batch(PayoutBatchTests.rows(["254708374149", "254708374150"])),
                in: harness.organization, idempotency: nil, by: harness.admin)
            #expect(created.batch.status == .awaitingApproval)
            clock.set(clock.nowMs() + Limits.batchApprovalWindowMs + 1)
            let checker = Actor(
                principal: try Principal(role: .orgAdmin, organizationID: harness.organization), id: "usr_checker",
                requestID: "req_test")
            let late = await #expect(throws: EngineError.self) {
                try await gateway.approvePayoutBatch(created.batch.id, in: harness.organization, by: checker)
            }
            #expect(late?.code == .conflict)
            let expired = try await gateway.payoutBatch(created.batch.id, in: harness.organization, by: harness.admin)
            #expect(expired.status == .expired)
            #expect(expired.count(of: .skipped) == 2)
            #expect(expired.items.allSatisfy { $0.paymentIDs.isEmpty })
        }
    }

    @Test func aBatchAboveTheLastKnownBalanceIsWarnedAboutOrRefused() async throws {
        try await PaymentsHarness.run { harness in
            let gateway = harness.gateway
            let rows = PayoutBatchTests.rows(["254708374149", "254708374150"], amount: 150_000)
            // No balance known yet: said, not refused.
            let unknown = try await gateway.createPayoutBatch(
                PayoutBatchTests.batch(rows, hash: "b0"), in: harness.organization, idempotency: nil,
                by: harness.admin)
            #expect(unknown.batch.warnings.contains { $0.contains("no balance") })
            _ = try await gateway.cancelPayoutBatch(unknown.batch.id, in: harness.organization, by: harness.admin)
            // The sandbox's utility account holds KES 250,000: a KES 300,001 batch is above it.
            _ = try await gateway.balanceCheck(in: harness.organization, by: harness.admin)
            #expect(try await harness.deliverCallbacks(.balanceResult, count: 1) == [.accepted])
            let warned = try await gateway.createPayoutBatch(
                PayoutBatchTests.batch(rows, hash: "b1"), in: harness.organization, idempotency: nil,
                by: harness.admin)
            #expect(warned.batch.warnings.contains { $0.contains("below the batch total") })
            _ = try await gateway.cancelPayoutBatch(warned.batch.id, in: harness.organization, by: harness.admin)
            _ = try await gateway.savePayoutBatchSettings(
                BatchSettings(lowBalance: .refuse), in: harness.organization, by: harness.admin)
            let refused = await #expect(throws: EngineError.self) {
                try await gateway.createPayoutBatch(
                    PayoutBatchTests.batch(rows, hash: "b2"), in: harness.organization, idempotency: nil,
                    by: harness.admin)
            }
            #expect(refused?.code == .conflict)
            #expect(refused?.message.contains("below the batch total") == true)
            // Within the balance it goes.
            let small = try await gateway.createPayoutBatch(
                PayoutBatchTests.batch(PayoutBatchTests.rows(["254708374149"], amount: 100), hash: "b3"),
                in: harness.organization, idempotency: nil, by: harness.admin)
            #expect(small.batch.warnings.isEmpty)
        }
    }
}
