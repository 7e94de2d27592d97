@testable import PesaCore
import Testing

/// The day aggregates behind `GET /v1/reports/summary` against a walk of every row: randomized histories over
/// more than a year (pushes through two profiles, C2B payments dated hours or days before they arrive, payouts,
/// settlements long after the request, reversals), random filters and ranges (whole Kenya days, instants inside a
/// day, other offsets), and the same figures after a snapshot round trip and after a replay of the journal.
@Suite struct PaymentDaysTests {
    static let paybill = ShortCodeID(randomBytes: Fixtures.bytes(1, tag: 9))
    static let till = ShortCodeID(randomBytes: Fixtures.bytes(2, tag: 9))
    static let payouts = ShortCodeID(randomBytes: Fixtures.bytes(3, tag: 9))
    static let startMs: Int64 = 1_700_000_000_000

    static func profile(_ id: ShortCodeID, _ number: String, _ kind: ShortCodeKind) -> TenantEvent {
        .shortCodeSaved(.init(
            shortCodeID: id, version: 1, label: number, environment: "sandbox", shortCode: number, kind: kind,
            tillNumber: kind == .till ? number : nil, isDefault: true, hints: [:]))
    }

    /// The events a random history applied, with their times (refused ones are left out).
    static func history(seed: UInt64, payments: Int) -> (state: TenantState, events: [(TenantEvent, Int64)]) {
        var random = SeededGenerator(seed: seed)
        var state = TenantState()
        var events: [(TenantEvent, Int64)] = []
        var nowMs = startMs
        func apply(_ event: TenantEvent) {
            nowMs += Int64.random(in: 0...(6 * 3_600_000), using: &random)
            if (try? state.apply(event, seq: state.lastSeq + 1, atMs: nowMs)) != nil { events.append((event, nowMs)) }
        }
        apply(Fixtures.organizationCreated)
        apply(profile(paybill, "174379", .paybill))
        apply(profile(till, "600100", .till))
        apply(profile(payouts, "600000", .b2c))
        var pending: [UInt64] = []
        var succeeded: [(UInt64, String)] = []
        for seed in UInt64(1)...UInt64(payments) {
            let amount = Amount(minorUnits: Int64.random(in: 100...500_000, using: &random))
            switch Int.random(in: 0..<10, using: &random) {
            case 0...4:
                var data = TenantEvent.STKPushRequested(
                    paymentID: Fixtures.paymentID(seed), amount: amount, phone: Fixtures.phone,
                    accountReference: "INV\(seed)", description: "Order")
                data.shortCodeID = Bool.random(using: &random) ? paybill : till
                apply(.stkPushRequested(data))
                pending.append(seed)
            case 5...6:
                let dated = nowMs - Int64.random(in: 0...(3 * 86_400_000), using: &random)
                var data = TenantEvent.C2BReceived(
                    paymentID: Fixtures.paymentID(seed), amount: amount, phone: "254708374149",
                    mpesaReceipt: "C2B\(seed)", accountReference: "=HYPERLINK(\(seed))", transactionAtMs: dated)
                data.shortCodeID = Bool.random(using: &random) ? paybill : nil
                apply(.c2bReceived(data))
                succeeded.append((seed, "C2B\(seed)"))
            case 7:
                apply(.b2cRequested(.init(
                    paymentID: Fixtures.paymentID(seed), amount: amount, phone: Fixtures.phone,
                    command: .businessPayment, remarks: "Payout")))
                pending.append(seed)
            default:
                guard !succeeded.isEmpty else { continue }
                let (original, receipt) = succeeded.remove(at: Int.random(in: 0..<succeeded.count, using: &random))
                apply(.reversalRequested(.init(
                    paymentID: Fixtures.paymentID(seed), originalPaymentID: Fixtures.paymentID(original),
                    mpesaReceipt: receipt, amount: Amount(shillings: 1), remarks: "Refund")))
                pending.append(seed)
            }
            // Settle some pending payments, some of them much later than they were made.
            while !pending.isEmpty, Int.random(in: 0..<3, using: &random) > 0 {
                let index = Int.random(in: 0..<pending.count, using: &random)
                let payment = pending.remove(at: index)
                let code = ["0", "0", "0", "1032", "1037", "1", "2001"].randomElement(using: &random) ?? "0"
                apply(Fixtures.settled(payment, code: code))
                if code == "0" { succeeded.append((payment, "RCP\(payment)")) }
            }
        }
        return (state, events)
    }

    static func filters(_ state: TenantState, seed: UInt64) -> [(PaymentFilter, Int64)] {
        var random = SeededGenerator(seed: seed)
        let endMs = state.lastAtMs + 86_400_000
        let kenyaMidnight = { (ms: Int64) in PaymentDays.startMs(day: PaymentDays.day(ms: ms)) }
        var filters: [(PaymentFilter, Int64)] = [(PaymentFilter(), Limits.kenyaUTCOffsetMs), (PaymentFilter(), 0)]
        for _ in 0..<60 {
            var filter = PaymentFilter()
            filter.status = Bool.random(using: &random) ? nil : PaymentStatus.allCases.randomElement(using: &random)
            filter.type = Bool.random(using: &random) ? nil : PaymentType.allCases.randomElement(using: &random)
            let profiles: [ShortCodeID?] = [nil, nil, paybill, till, payouts]
            filter.shortCodeID = profiles.randomElement(using: &random) ?? nil
            let a = Int64.random(in: (startMs - 86_400_000)...endMs, using: &random)
            let b = Int64.random(in: a...endMs, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: (filter.fromMs, filter.toMs) = (kenyaMidnight(a), kenyaMidnight(b))
            case 1: (filter.fromMs, filter.toMs) = (a, b)
            case 2: filter.fromMs = Bool.random(using: &random) ? a : kenyaMidnight(a)
            default: filter.toMs = Bool.random(using: &random) ? b : kenyaMidnight(b)
            }
            let offsets: [Int64] = [Limits.kenyaUTCOffsetMs, Limits.kenyaUTCOffsetMs, 0, -19_800_000, 50_400_000]
            let offset: Int64 = offsets.randomElement(using: &random) ?? 0
            filters.append((filter, offset))
        }
        return filters
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func aggregatesEqualAWalkThroughSnapshotAndReplay(round: UInt64) async throws {
        let seed = SeededGenerator.seed("PaymentDaysTests round \(round)") &+ round
        // Built on a thread of their own (`onOwnThread`): the history, its snapshot and its replay.
        typealias Built = (state: TenantState, restored: TenantState, replayed: TenantState)
        let (state, restored, replayed) = try await onOwnThread { () throws -> Built in
            let (state, events) = Self.history(seed: seed, payments: 1_500)
            let restored = try TenantState(
                snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
            var replayed = TenantState()
            for (index, (event, atMs)) in events.enumerated() {
                try replayed.apply(event, seq: UInt64(index + 1), atMs: atMs)
            }
            return (state, restored, replayed)
        }
        #expect(state.payments.count > 1_000)
        let days = Set((0..<state.payments.count).map { PaymentDays.day(ms: state.payments.createdAtMs(at: $0)) })
        #expect(days.count > 200)
        for (filter, offset) in Self.filters(state, seed: seed) {
            await Task.yield()  // lets the other tests' tasks run between filters
            let walked = state.payments.walkSummary(filter, utcOffsetMs: offset)
            #expect(state.payments.summary(filter, utcOffsetMs: offset) == walked, "\(filter) at \(offset)")
            #expect(restored.payments.summary(filter, utcOffsetMs: offset) == walked, "\(filter) after a snapshot")
            #expect(replayed.payments.summary(filter, utcOffsetMs: offset) == walked, "\(filter) after a replay")
            let listed = Self.listAll(state.payments, filter)
            #expect(walked.total.count == Int64(listed.count))
            #expect(walked.total.volume.minorUnits == listed.reduce(0) { $0 + $1.amount.minorUnits })
            #expect(walked.byDay.reduce(0) { $0 + $1.tally.count } == walked.total.count)
        }
    }

    /// The list route's pages of `limit` payments, followed through the cursor to the end: what the summary
    /// must count.
    static func listAll(
        _ table: PaymentTable, _ filter: PaymentFilter, limit: Int = Limits.listLimitMaxCount
    ) -> [Payment] {
        var all: [Payment] = []
        var cursor: PaymentID?
        repeat {
            let page = table.list(filter, after: cursor, limit: limit)
            all += page.payments
            cursor = page.nextCursor
        } while cursor != nil
        return all
    }

    @Test func aLateC2BPaymentCountsOnItsOwnDayAndARangeInsideADayWalksOnlyThatDay() throws {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated, Fixtures.stk(1, shillings: 10)])
        let today = PaymentDays.day(ms: state.lastAtMs)
        let twoDaysAgo = PaymentDays.startMs(day: today - 2) + 4 * 3_600_000  // 04:00 in Kenya, 01:00 UTC
        try state.applyAll([
            .c2bReceived(.init(
                paymentID: Fixtures.paymentID(2), amount: Amount(shillings: 7), phone: "254708374149",
                mpesaReceipt: "LATE1", accountReference: "A1", transactionAtMs: twoDaysAgo)),
            Fixtures.settled(1),
        ])
        let summary = state.payments.summary(PaymentFilter())
        #expect(summary.byDay.map(\.day) == [today - 2, today])
        #expect(summary.byStatus[.succeeded]?.count == 2 && summary.byStatus[.pending] == nil)
        let hour = PaymentFilter(fromMs: twoDaysAgo, toMs: twoDaysAgo + 1)
        #expect(state.payments.summary(hour).total.volume == Amount(shillings: 7))
        #expect(state.payments.summary(hour, utcOffsetMs: 0).byDay.map(\.day) == [today - 2])
        #expect(summary.successRatePermille == 1000)
    }

    @Test func exportPagesWalkEveryMatchingRowNewestFirstInBoundedReads() throws {
        let (state, _) = Self.history(seed: SeededGenerator.seed("PaymentDaysTests export"), payments: 600)
        let filter = PaymentFilter(status: .succeeded)
        var end = state.payments.count
        var exported: [PaymentID] = []
        while end > 0 {
            let page = state.payments.exportPage(filter, below: end, scanRowsMax: 97)
            #expect(end - page.next <= 97)
            exported += page.payments.map(\.id)
            end = page.next
        }
        #expect(exported == Self.listAll(state.payments, filter).map(\.id))
    }
}
