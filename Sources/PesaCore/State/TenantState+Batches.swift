/// Where a batch payout's row is: its batch and index.
struct BatchRowRef: Sendable, Equatable {
    let batch: BatchID
    let index: Int
}

extension TenantState {
    /// `batch.created`, `batch.items_added`, `batch.changed` and `batch.settings_saved` (the transition table
    /// is above `BatchItemState`).
    mutating func reduceBatch(_ event: TenantEvent, atMs: Int64) {
        switch event {
        case .batchCreated(let data):
            batches[data.batchID] = BatchRecord(data, atMs: atMs)
        case .batchItemsAdded(let data):
            batches[data.batchID]?.items += data.items.map { BatchItem($0, atMs: atMs) }
            batches[data.batchID]?.updatedAtMs = atMs
        case .batchChanged(let data):
            guard var batch = batches[data.batchID] else { return }
            applyChange(data, to: &batch, atMs: atMs)
            batch.updatedAtMs = atMs
            batches[data.batchID] = batch
        case .batchSettingsSaved(let settings):
            batchSettings = settings
        default:
            break
        }
    }

    private func applyChange(_ data: TenantEvent.BatchChanged, to batch: inout BatchRecord, atMs: Int64) {
        switch data.change {
        case .approved:
            batch.review = .approved
            batch.reviewedBy = data.actor
        case .rejected, .expired, .cancelled:
            switch data.change {
            case .rejected: batch.review = .rejected
            case .expired: batch.review = .expired
            default: batch.cancelledBy = data.actor
            }
            if data.change != .cancelled { batch.reviewedBy = data.actor }
            batch.reviewReason = data.reason ?? batch.reviewReason
            for index in batch.items.indices where batch.items[index].state == .queued {
                batch.items[index].state = .skipped
                batch.items[index].updatedAtMs = atMs
            }
        case .itemFailed:
            guard let item = data.item.map(Int.init) else { return }
            batch.items[item].state = .failed
            batch.items[item].retryable = true
            batch.items[item].errorCode = data.errorCode
            batch.items[item].errorMessage = data.reason
            batch.items[item].updatedAtMs = atMs
        case .itemsRetried:
            for item in (data.items ?? []).map(Int.init) {
                batch.items[item].state = .queued
                batch.items[item].retryable = false
                batch.items[item].errorCode = nil
                batch.items[item].errorMessage = nil
                batch.items[item].updatedAtMs = atMs
            }
        case .itemNotReceived:
            guard let item = data.item.map(Int.init) else { return }
            batch.items[item].notReceivedAtMs = atMs
            batch.items[item].updatedAtMs = atMs
        case .itemResent:
            guard let item = data.item.map(Int.init) else { return }
            batch.items[item].notReceivedAtMs = nil
            batch.items[item].resentAtMs = atMs
            batch.items[item].resends = (batch.items[item].resends ?? 0) + 1
            batch.items[item].updatedAtMs = atMs
        }
    }

    /// A row bound to a payout follows that payout (`BatchItemState.following`); only the row's last payout
    /// moves it, so a late result of an earlier attempt changes nothing.
    mutating func followBatchRow(_ event: TenantEvent, atMs: Int64) {
        let paymentID: PaymentID
        switch event {
        case .b2cRequested(let data):
            guard let batch = data.batchID, let item = data.batchItem else { return }
            let ref = BatchRowRef(batch: batch, index: Int(item))
            batchRowsByPayment[data.paymentID] = ref
            batches[batch]?.items[ref.index].paymentIDs.append(data.paymentID)
            batches[batch]?.items[ref.index].resentAtMs = nil
            batches[batch]?.items[ref.index].resends = nil
            paymentID = data.paymentID
        case .paymentAccepted(let data): paymentID = data.paymentID
        case .paymentUpstreamFailed(let data): paymentID = data.paymentID
        case .paymentSettled(let data): paymentID = data.paymentID
        default: return
        }
        guard let ref = batchRowsByPayment[paymentID], let payment = payments[paymentID],
            var item = batches[ref.batch]?.items[ref.index], item.paymentIDs.last == paymentID
        else { return }
        let state = BatchItemState.following(payment.status, acknowledged: payment.conversationID != nil)
        item.state = state
        item.receipt = payment.mpesaReceipt
        item.updatedAtMs = atMs
        item.notReceivedAtMs = nil  // the payout moved: nothing to send again
        switch state {
        case .failed, .unknown:
            item.errorCode = payment.resultCode?.rawValue
            item.errorMessage = payment.resultDesc
            if case .paymentUpstreamFailed = event {
                item.retryable = true  // refused or never reached: nothing moved
            } else if case .paymentSettled = event {
                item.retryable = state == .failed
                    && BatchRetry.retryableResultCodes.contains(payment.resultCode?.rawValue ?? "")
            }
        default:
            item.errorCode = nil
            item.errorMessage = nil
            item.retryable = false
        }
        batches[ref.batch]?.items[ref.index] = item
    }

    /// `batchRowsByPayment` from the batches (derived, never written).
    mutating func indexBatchRows() {
        batchRowsByPayment = [:]
        for (id, batch) in batches {
            for (index, item) in batch.items.enumerated() {
                for payment in item.paymentIDs { batchRowsByPayment[payment] = BatchRowRef(batch: id, index: index) }
            }
        }
    }

    /// The batch and row a batch payout pays.
    public func batchRow(of payment: PaymentID) -> (batch: BatchID, index: Int)? {
        batchRowsByPayment[payment].map { ($0.batch, $0.index) }
    }

    /// The organization's batches, newest first.
    public var batchesNewestFirst: [BatchRecord] { batches.values.sorted { $0.id > $1.id } }

    /// The id the organization's next batch takes.
    public func nextBatchID() -> BatchID? {
        guard let slug = organization?.slug else { return nil }
        let last = batches.keys.lazy.filter { $0.slug == slug }.map(\.sequence).max() ?? 0
        return BatchID(slug: slug, sequence: max(last, Int64(batches.count)) + 1)
    }

    /// A batch made from the same upload (`content_hash`) within `Limits.idempotencyWindowMs`: answered again.
    public func batch(contentHash: String, nowMs: Int64) -> BatchRecord? {
        batches.values.first {
            $0.isComplete && $0.contentHash == contentHash && nowMs - $0.createdAtMs < Limits.idempotencyWindowMs
        }
    }

    /// The batch created under this `Idempotency-Key` within the window.
    public func batch(idempotencyKey: String, nowMs: Int64) -> BatchRecord? {
        batches.values.first {
            $0.idempotencyKey == idempotencyKey && nowMs - $0.createdAtMs < Limits.idempotencyWindowMs
        }
    }

    /// Checks of the batch lines: the reducer may then index without looking.
    func validateBatch(_ event: TenantEvent) throws(PesaCoreError) {
        switch event {
        case .batchCreated(let data):
            guard batches[data.batchID] == nil else { throw .inconsistentEvent("batch \(data.batchID) already exists") }
            guard (1...Int64(Limits.batchItemsCountMax)).contains(data.itemCount) else {
                throw .inconsistentEvent("batch \(data.batchID) has \(data.itemCount) rows")
            }
            try validateShortCodeReference(data.shortCodeID)
        case .batchItemsAdded(let data):
            guard let batch = batches[data.batchID] else { throw .inconsistentEvent("no batch \(data.batchID)") }
            guard data.firstIndex == Int64(batch.items.count),
                data.firstIndex + Int64(data.items.count) <= batch.itemCount
            else { throw .inconsistentEvent("rows of batch \(data.batchID) out of order or beyond its count") }
        case .batchChanged(let data):
            try validateBatchChange(data)
        default:
            break
        }
    }

    private func validateBatchChange(_ data: TenantEvent.BatchChanged) throws(PesaCoreError) {
        guard let batch = batches[data.batchID] else { throw .inconsistentEvent("no batch \(data.batchID)") }
        switch data.change {
        case .approved, .rejected, .expired:
            guard batch.review == .pending else {
                throw .inconsistentEvent("batch \(data.batchID) is not awaiting approval")
            }
        case .cancelled:
            guard batch.cancelledBy == nil else { throw .inconsistentEvent("batch \(data.batchID) already cancelled") }
        case .itemFailed:
            guard let item = data.item, batch.items.indices.contains(Int(item)),
                batch.items[Int(item)].state == .queued
            else { throw .inconsistentEvent("batch \(data.batchID): no queued row \(data.item ?? -1)") }
        case .itemsRetried:
            for item in data.items ?? [] {
                guard batch.items.indices.contains(Int(item)), batch.items[Int(item)].state == .failed,
                    batch.items[Int(item)].retryable
                else { throw .inconsistentEvent("batch \(data.batchID): row \(item) is not a retryable failure") }
            }
        case .itemNotReceived, .itemResent:
            guard let item = data.item.map(Int.init), batch.items.indices.contains(item),
                batch.items[item].state == .sending, batch.mayBeSent,
                (batch.items[item].notReceivedAtMs == nil) == (data.change == .itemNotReceived)
            else {
                throw .inconsistentEvent(
                    "batch \(data.batchID): row \(data.item ?? -1) cannot be \(data.change.rawValue)")
            }
        }
    }

    /// A batch payout pays a queued row of a batch that may be sent.
    func validateBatchPayout(_ data: TenantEvent.B2CRequested) throws(PesaCoreError) {
        guard let id = data.batchID else { return }
        guard let batch = batches[id] else { throw .inconsistentEvent("payout names unknown batch \(id)") }
        guard let item = data.batchItem else { return }
        guard batch.items.indices.contains(Int(item)), batch.items[Int(item)].state == .queued, batch.mayBeSent
        else { throw .inconsistentEvent("payout names row \(item) of batch \(id), which is not queued to go out") }
    }
}
