import Testing

@testable import PesaCore

/// One test per row of the transition table above `BatchItemState`: each journaled line moves a row exactly
/// as the table says, and lines the table does not allow are refused.
@Suite struct BatchTransitionTests {
    static let batch = BatchID(slug: Fixtures.slug("acme-shop"), sequence: 1)

    /// A state with a two-row batch (rows 0 and 1), approval as given.
    func started(approval: Bool = false) throws -> TenantState {
        var state = TenantState()
        try state.applyAll([
            Fixtures.organizationCreated,
            .batchCreated(
                .init(
                    batchID: Self.batch, command: .businessPayment, itemCount: 2, total: Amount(shillings: 30),
                    shortCodeID: nil, contentHash: "ab", createdBy: "usr_maker", createdByRole: .manager,
                    approvalRequired: approval, approvalExpiresAtMs: approval ? 1 : nil)),
            .batchItemsAdded(
                .init(
                    batchID: Self.batch, firstIndex: 0,
                    items: [
                        .init(phone: Fixtures.phone, amount: Amount(shillings: 10), reference: "R1"),
                        .init(phone: Fixtures.phone, amount: Amount(shillings: 20), reference: "R2"),
                    ])),
        ])
        return state
    }

    func payout(_ seed: UInt64, row: Int64) -> TenantEvent {
        var data = TenantEvent.B2CRequested(
            paymentID: Fixtures.paymentID(seed), amount: Amount(shillings: 10), phone: Fixtures.phone,
            command: .businessPayment, remarks: "R1", batchID: Self.batch)
        data.batchItem = row
        return .b2cRequested(data)
    }

    func acknowledged(_ seed: UInt64) -> TenantEvent {
        .paymentAccepted(
            .init(
                paymentID: Fixtures.paymentID(seed), conversationID: "AG_\(seed)", originatorConversationID: "o\(seed)")
        )
    }

    func settled(_ seed: UInt64, _ status: PaymentStatus, code: String) -> TenantEvent {
        .paymentSettled(
            .init(
                paymentID: Fixtures.paymentID(seed), status: status, resultCode: ResultCode(code), resultDesc: "d",
                mpesaReceipt: status == .succeeded ? "RCP\(seed)" : nil, source: .callback))
    }

    func itemState(_ state: TenantState, row: Int = 0) -> BatchItemState? {
        state.batches[Self.batch]?.items[row].state
    }

    @Test func itemsAddedAreQueuedAndTheBatchComplete() throws {
        let state = try started()
        #expect(itemState(state) == .queued && itemState(state, row: 1) == .queued)
        #expect(state.batches[Self.batch]?.status == .queued)
    }

    @Test func queuedToSendingWithThePayoutsIntent() throws {
        var state = try started()
        try state.applyAll([payout(1, row: 0)])
        #expect(itemState(state) == .sending)
        #expect(state.batches[Self.batch]?.items[0].paymentIDs == [Fixtures.paymentID(1)])
        #expect(state.payment(id: Fixtures.paymentID(1))?.batchID == Self.batch.rawValue)
    }

    @Test func aRowInSendingIsNeverSentAgain() throws {
        var state = try started()
        try state.applyAll([payout(1, row: 0)])
        #expect(throws: PesaCoreError.self) { try state.applyAll([payout(2, row: 0)]) }
    }

    func change(_ change: TenantEvent.BatchChange, row: Int64 = 0) -> TenantEvent {
        .batchChanged(.init(batchID: Self.batch, change: change, actor: "system", item: row))
    }

    @Test func sendingMarkedNotReceivedThenResentStaysSendingWithTheSamePayout() throws {
        var state = try started()
        // Only a row in `sending` can be marked, and only a marked row resent.
        #expect(throws: PesaCoreError.self) { try state.applyAll([change(.itemNotReceived)]) }
        try state.applyAll([payout(1, row: 0)])
        #expect(throws: PesaCoreError.self) { try state.applyAll([change(.itemResent)]) }
        try state.applyAll([change(.itemNotReceived)])
        #expect(state.batches[Self.batch]?.items[0].notReceivedAtMs != nil)
        #expect(throws: PesaCoreError.self) { try state.applyAll([change(.itemNotReceived)]) }
        try state.applyAll([change(.itemResent)])
        let row = try #require(state.batches[Self.batch]?.items[0])
        #expect(row.state == .sending && row.notReceivedAtMs == nil && row.resends == 1 && row.resentAtMs != nil)
        #expect(row.paymentIDs == [Fixtures.paymentID(1)])
        let read = try TenantState(
            snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        #expect(read == state)
        try state.applyAll([acknowledged(1), settled(1, .succeeded, code: "0")])
        #expect(itemState(state) == .succeeded)
    }

    @Test func aPayoutLineClearsTheMarkAndACancelledBatchIsNeverResent() throws {
        var state = try started()
        try state.applyAll([payout(1, row: 0), change(.itemNotReceived), acknowledged(1)])
        #expect(state.batches[Self.batch]?.items[0].notReceivedAtMs == nil)
        #expect(itemState(state) == .sent)
        #expect(throws: PesaCoreError.self) { try state.applyAll([change(.itemResent)]) }
        try state.applyAll([payout(2, row: 1), change(.itemNotReceived, row: 1)])
        try state.applyAll([.batchChanged(.init(batchID: Self.batch, change: .cancelled, actor: "usr_maker"))])
        #expect(throws: PesaCoreError.self) { try state.applyAll([change(.itemResent, row: 1)]) }
    }

    @Test func queuedToFailedWhenAGuardRefused() throws {
        var state = try started()
        try state.applyAll([
            .batchChanged(
                .init(
                    batchID: Self.batch, change: .itemFailed, actor: "system", reason: "inactive", item: 0,
                    errorCode: "SUBSCRIPTION_INACTIVE"))
        ])
        #expect(itemState(state) == .failed)
        #expect(state.batches[Self.batch]?.items[0].retryable == true)
    }

    @Test(arguments: [TenantEvent.BatchChange.cancelled, .rejected, .expired])
    func queuedToSkipped(change: TenantEvent.BatchChange) throws {
        var state = try started(approval: change != .cancelled)
        try state.applyAll([.batchChanged(.init(batchID: Self.batch, change: change, actor: "usr_checker"))])
        #expect(itemState(state) == .skipped && itemState(state, row: 1) == .skipped)
        #expect(throws: PesaCoreError.self) { try state.applyAll([payout(1, row: 0)]) }
    }

    @Test func sendingToSentOnTheAcknowledgement() throws {
        var state = try started()
        try state.applyAll([payout(1, row: 0), acknowledged(1)])
        #expect(itemState(state) == .sent)
    }

    @Test func sendingToFailedWhenDarajaRefused() throws {
        var state = try started()
        try state.applyAll([
            payout(1, row: 0),
            .paymentUpstreamFailed(
                .init(
                    paymentID: Fixtures.paymentID(1), status: .failed, errorCode: "400.002.02", errorMessage: "bad")),
        ])
        #expect(itemState(state) == .failed)
        #expect(state.batches[Self.batch]?.items[0].retryable == true)
        #expect(state.batches[Self.batch]?.items[0].errorCode == "400.002.02")
    }

    @Test func sendingStaysSendingWhenTheSendMayHaveReachedDaraja() throws {
        var state = try started()
        try state.applyAll([
            payout(1, row: 0),
            .paymentUpstreamFailed(
                .init(
                    paymentID: Fixtures.paymentID(1), status: .pending, errorCode: "500", errorMessage: "timeout")),
        ])
        #expect(itemState(state) == .sending)
    }

    @Test(arguments: [
        (PaymentStatus.succeeded, "0", BatchItemState.succeeded), (.failed, "2001", .failed),
        (.unknown, "PESA_UNRESOLVED", .unknown),
    ])
    func sentToItsResult(status: PaymentStatus, code: String, expected: BatchItemState) throws {
        var state = try started()
        try state.applyAll([payout(1, row: 0), acknowledged(1), settled(1, status, code: code)])
        #expect(itemState(state) == expected)
    }

    @Test func sendingToItsResultWithoutAnAcknowledgement() throws {
        var state = try started()
        try state.applyAll([payout(1, row: 0), settled(1, .succeeded, code: "0")])
        #expect(itemState(state) == .succeeded)
        #expect(state.batches[Self.batch]?.items[0].receipt == "RCP1")
    }

    @Test func unknownToSucceededOnALateResult() throws {
        var state = try started()
        try state.applyAll([
            payout(1, row: 0), acknowledged(1), settled(1, .unknown, code: "PESA_UNRESOLVED"),
            settled(1, .succeeded, code: "0"),
        ])
        #expect(itemState(state) == .succeeded)
    }

    @Test func retryableFailedToQueuedAndANewPayout() throws {
        var state = try started()
        try state.applyAll([payout(1, row: 0), acknowledged(1), settled(1, .failed, code: "1")])
        #expect(state.batches[Self.batch]?.retryableItems == [0])
        try state.applyAll([.batchChanged(.init(batchID: Self.batch, change: .itemsRetried, actor: "u", items: [0]))])
        #expect(itemState(state) == .queued)
        try state.applyAll([payout(2, row: 0), acknowledged(2), settled(2, .succeeded, code: "0")])
        #expect(itemState(state) == .succeeded)
        #expect(state.batches[Self.batch]?.items[0].paymentIDs == [Fixtures.paymentID(1), Fixtures.paymentID(2)])
        // A late result of the first payout moves nothing.
        try state.applyAll([settled(1, .unknown, code: "PESA_UNRESOLVED")])
        #expect(itemState(state) == .succeeded)
    }

    @Test func aFailureNoRetryCuresIsNotRetried() throws {
        var state = try started()
        try state.applyAll([payout(1, row: 0), acknowledged(1), settled(1, .failed, code: "1032")])
        #expect(state.batches[Self.batch]?.retryableItems == [])
        #expect(throws: PesaCoreError.self) {
            try state.applyAll([
                .batchChanged(.init(batchID: Self.batch, change: .itemsRetried, actor: "u", items: [0]))
            ])
        }
    }

    @Test func theBatchEndsCompletedWithFailuresAndSurvivesASnapshot() throws {
        var state = try started()
        try state.applyAll([
            payout(1, row: 0), acknowledged(1), settled(1, .succeeded, code: "0"),
            payout(2, row: 1), acknowledged(2), settled(2, .failed, code: "2001"),
        ])
        let batch = try #require(state.batches[Self.batch])
        #expect(batch.status == .completedWithFailures)
        #expect(batch.count(of: .succeeded) == 1 && batch.count(of: .failed) == 1)
        let read = try TenantState(
            snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        #expect(read == state)
        // The index of payouts to rows is rebuilt: a late result still finds its row.
        var after = read
        try after.applyAll([settled(2, .unknown, code: "PESA_X")])
        #expect(after.batches[Self.batch]?.items[1].state == .unknown)
    }

    @Test func anApprovalIsNeededBeforeAnyRowGoesOut() throws {
        var state = try started(approval: true)
        #expect(state.batches[Self.batch]?.status == .awaitingApproval)
        #expect(throws: PesaCoreError.self) { try state.applyAll([payout(1, row: 0)]) }
        try state.applyAll([.batchChanged(.init(batchID: Self.batch, change: .approved, actor: "usr_checker"))])
        try state.applyAll([payout(1, row: 0)])
        #expect(itemState(state) == .sending)
    }
}
