import DarajaSandbox
import Foundation
import PesaCore
import PesaTesting
import Testing

@testable import PesaEngine

/// Payout batches through the embedded sandbox: validation of the whole batch, replay of an upload, sending
/// through the single payout's path, exact counts, maker-checker approval and isolation between organizations.
@Suite struct PayoutBatchTests {
    static func rows(_ phones: [String], amount: Int64 = 100) -> [BatchRowParameters] {
        phones.enumerated().map { index, phone in
            BatchRowParameters(phone: phone, amount: amount + Int64(index), reference: "Pay \(index)", name: nil)
        }
    }

    static func batch(_ rows: [BatchRowParameters], hash: String = "h1", duplicates: Bool = false)
        -> BatchParameters
    {
        BatchParameters(
            command: "business_payment", shortCode: nil, items: rows, allowDuplicates: duplicates, contentHash: hash)
    }

    /// 60 rows, three of them to numbers the sandbox fails (results 1, 2001 and 1032).
    static let sixtyPhones: [String] = (0..<60).map { index in
        switch index {
        case 7: "254700000001"
        case 23: "254700002001"
        case 41: "254700001032"
        default: "2547083\(String(format: "%05d", index))"
        }
    }

    @Test func aSixtyRowBatchWithThreeFailingRowsEndsWithExactCounts() async throws {
        try await PaymentsHarness.run { harness in
            let created = try await harness.gateway.createPayoutBatch(
                Self.batch(Self.rows(Self.sixtyPhones)), in: harness.organization, idempotency: nil, by: harness.admin)
            #expect(created.batch.status == .queued)
            #expect(created.batch.id.rawValue == "bat_acme_000001")
            let pacer = BatchPacer(rowsPerSecond: 1000)
            #expect(await harness.gateway.sendBatchRows(harness.organization, pacer: pacer, budget: 100))
            let sent = try await harness.gateway.payoutBatch(
                created.batch.id, in: harness.organization, by: harness.admin)
            #expect(sent.count(of: .sent) == 60)
            #expect(sent.status == .sending)
            #expect(!(await harness.gateway.sendBatchRows(harness.organization, pacer: pacer, budget: 100)))
            _ = try await harness.deliverCallbacks(.b2cResult, count: 60)
            let done = try await harness.gateway.payoutBatch(
                created.batch.id, in: harness.organization, by: harness.admin)
            #expect(done.count(of: .succeeded) == 57)
            #expect(done.count(of: .failed) == 3)
            #expect(done.status == .completedWithFailures)
            #expect(done.items[7].errorCode == "1" && done.items[7].retryable)
            #expect(done.items[23].errorCode == "2001" && done.items[23].retryable)
            #expect(done.items[41].errorCode == "1032" && !done.items[41].retryable)
            #expect(done.items.allSatisfy { $0.paymentIDs.count == 1 })
            // Billing counts each row's payout once, as a payout.
            let payouts = try await harness.gateway.engine(harness.organization).read { state in
                (0..<state.payments.count).filter { state.payments.type(at: $0) == .b2c }.count
            }
            #expect(payouts == 60)
            // retry-failed queues the two retryable rows again, as new payouts linked to them.
            let retried = try await harness.gateway.retryFailedPayoutBatch(
                done.id, in: harness.organization, by: harness.admin)
            #expect(retried.count(of: .queued) == 2)
            #expect(await harness.gateway.sendBatchRows(harness.organization, pacer: pacer, budget: 100))
            let again = try await harness.gateway.payoutBatch(done.id, in: harness.organization, by: harness.admin)
            #expect(again.items[7].paymentIDs.count == 2)
            #expect(again.items[41].paymentIDs.count == 1)
        }
    }

    @Test func everyBadRowIsNamedAtOnceAndNothingIsCreated() async throws {
        try await PaymentsHarness.run { harness in
            var rows = Self.rows((0..<10).map { "2547083000\(String(format: "%02d", $0))" })
            rows[2].phone = "12345"
            rows[5].amount = nil
            rows[7].reference = ""
            rows[9] = BatchRowParameters(phone: rows[1].phone, amount: rows[1].amount, reference: "Again", name: nil)
            do {
                _ = try await harness.gateway.createPayoutBatch(
                    Self.batch(rows), in: harness.organization, idempotency: nil, by: harness.admin)
                Issue.record("a batch with bad rows was created")
            } catch let error as EngineError {
                #expect(error.code == .invalidField)
                #expect(error.param == "items[2].phone")
                #expect(
                    error.fieldErrors.map(\.param) == [
                        "items[2].phone", "items[5].amount", "items[7].reference", "items[9].phone",
                    ])
            }
            let batches = try await harness.gateway.engine(harness.organization).read { $0.batches.count }
            #expect(batches == 0)
            // The duplicate passes with allow_duplicates once the other rows are fixed.
            rows[2].phone = "254708300002"
            rows[5].amount = 105
            rows[7].reference = "Fixed"
            let created = try await harness.gateway.createPayoutBatch(
                Self.batch(rows, duplicates: true), in: harness.organization, idempotency: nil, by: harness.admin)
            #expect(created.batch.itemCount == 10)
        }
    }

    @Test func theSameUploadAgainAnswersTheFirstBatch() async throws {
        try await PaymentsHarness.run { harness in
            let rows = Self.rows(["254708374149", "254708374150"])
            let first = try await harness.gateway.createPayoutBatch(
                Self.batch(rows, hash: "same"), in: harness.organization, idempotency: nil, by: harness.admin)
            let second = try await harness.gateway.createPayoutBatch(
                Self.batch(rows, hash: "same"), in: harness.organization, idempotency: nil, by: harness.admin)
            #expect(second.isReplay)
            #expect(second.batch.id == first.batch.id)
            let keyed = try await harness.gateway.createPayoutBatch(
                Self.batch(rows, hash: "other"), in: harness.organization,
                idempotency: IdempotencyInput(key: "k1", requestHash: "other"), by: harness.admin)
            #expect(keyed.batch.id.sequence == 2)
            await #expect(throws: EngineError.self) {
                _ = try await harness.gateway.createPayoutBatch(
                    Self.batch(rows, hash: "third"), in: harness.organization,
                    idempotency: IdempotencyInput(key: "k1", requestHash: "third"), by: harness.admin)
            }
        }
    }

    @Test func theCreatorMayNotApproveAndAnotherOrgAdminMay() async throws {
        try await PaymentsHarness.run { harness in
            _ = try await harness.gateway.savePayoutBatchSettings(
                BatchSettings(approval: .all), in: harness.organization, by: harness.admin)
            let created = try await harness.gateway.createPayoutBatch(
                Self.batch(Self.rows(["254708374149"])), in: harness.organization, idempotency: nil, by: harness.admin)
            #expect(created.batch.status == .awaitingApproval)
            let pacer = BatchPacer(rowsPerSecond: 1000)
            #expect(!(await harness.gateway.sendBatchRows(harness.organization, pacer: pacer, budget: 10)))
            do {
                _ = try await harness.gateway.approvePayoutBatch(
                    created.batch.id, in: harness.organization, by: harness.admin)
                Issue.record("the creator approved their own batch")
            } catch let error as EngineError {
                #expect(error.code == .forbidden)
                #expect(error.message.contains("creator"))
            }
            // An org_admin's API key may not approve either: approval is a person's.
            let key = Actor(
                principal: try Principal(role: .orgAdmin, organizationID: harness.organization),
                id: "key_01h2x0000000000000000000000", requestID: "req_test")
            let byKey = await #expect(throws: EngineError.self) {
                try await harness.gateway.approvePayoutBatch(created.batch.id, in: harness.organization, by: key)
            }
            #expect(byKey?.code == .forbidden)
            let checker = Actor(
                principal: try Principal(role: .orgAdmin, organizationID: harness.organization), id: "usr_checker",
                requestID: "req_test")
            let approved = try await harness.gateway.approvePayoutBatch(
                created.batch.id, in: harness.organization, by: checker)
            #expect(approved.status == .queued)
            #expect(approved.reviewedBy == "usr_checker")
            #expect(await harness.gateway.sendBatchRows(harness.organization, pacer: pacer, budget: 10))
        }
    }

    @Test func aCancelledBatchSkipsItsQueuedRows() async throws {
        try await PaymentsHarness.run { harness in
            let created = try await harness.gateway.createPayoutBatch(
                Self.batch(Self.rows(["254708374149", "254708374150"])), in: harness.organization, idempotency: nil,
                by: harness.admin)
            let cancelled = try await harness.gateway.cancelPayoutBatch(
                created.batch.id, in: harness.organization, by: harness.admin)
            #expect(cancelled.status == .cancelled)
            #expect(cancelled.count(of: .skipped) == 2)
            let pacer = BatchPacer(rowsPerSecond: 1000)
            #expect(!(await harness.gateway.sendBatchRows(harness.organization, pacer: pacer, budget: 10)))
        }
    }

    @Test func anotherOrganizationSeesNoBatch() async throws {
        try await PaymentsHarness.run { harness in
            let created = try await harness.gateway.createPayoutBatch(
                Self.batch(Self.rows(["254708374149"])), in: harness.organization, idempotency: nil, by: harness.admin)
            let other = try await harness.gateway.createOrganization(
                name: "Other", slug: "other", plan: "starter", by: EngineHarness.superAdmin)
            let outsider = EngineHarness.member(.orgAdmin, of: other.record.id)
            let read = await #expect(throws: EngineError.self) {
                try await harness.gateway.payoutBatch(created.batch.id, in: other.record.id, by: outsider)
            }
            #expect(read?.code == .notFound)
            let cancel = await #expect(throws: EngineError.self) {
                try await harness.gateway.cancelPayoutBatch(created.batch.id, in: other.record.id, by: outsider)
            }
            #expect(cancel?.code == .notFound)
            let listed = try await harness.gateway.payoutBatches(
                in: other.record.id, offset: 0, limit: 10, by: outsider)
            #expect(listed.batches.isEmpty)
        }
    }
}
