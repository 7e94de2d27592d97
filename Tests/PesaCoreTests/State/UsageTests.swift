import Testing

@testable import PesaCore

/// Billing's usage, counted from the state: Kenya months and days, what each payment and query counts as,
/// and in which month.
@Suite struct UsageTests {
    static let decemberStartMs: Int64 = 1_796_072_400_000  // 2026-12-01 00:00 EAT = 2026-11-30 21:00 UTC
    static let januaryStartMs: Int64 = 1_798_750_800_000  // 2027-01-01 00:00 EAT

    @Test func kenyaMonthsAndDaysAreUTCPlusThree() {
        #expect(KenyaTime.monthKey(ms: Self.decemberStartMs) == "2026-12")
        #expect(KenyaTime.monthKey(ms: Self.decemberStartMs - 1) == "2026-11")
        #expect(KenyaTime.dayKey(ms: Self.decemberStartMs - 1) == "2026-11-30")
        #expect(KenyaTime.dayKey(ms: 1_709_164_800_000) == "2024-02-29")  // 03:00 EAT on a leap day
        #expect(KenyaTime.dayKey(ms: 0) == "1970-01-01")
        #expect(KenyaTime.dayKey(ms: -10_800_001) == "1969-12-31")
        let december = KenyaTime.month("2026-12")
        #expect(december?.startMs == Self.decemberStartMs)
        #expect(december?.endMs == Self.januaryStartMs)
        for bad in ["2026-13", "2026-1", "26-12", "2026-12-01", "abcd-ef", "", "1999-12", "2026-00", "２０２６-12"] {
            #expect(KenyaTime.month(bad) == nil, "\(bad)")
        }
    }

    @Test func eachPaymentCountsInTheMonthItStartedWithItsSuccessAndVolume() throws {
        var state = TenantState()
        var seq: UInt64 = 0
        func apply(_ event: TenantEvent, at ms: Int64) throws {
            seq += 1
            try state.apply(event, seq: seq, atMs: ms)
        }
        let december = Self.decemberStartMs
        try apply(Fixtures.organizationCreated, at: december - 10_000)
        try apply(
            .credentialsUpdated(.init(
                version: 1, environment: "sandbox", businessShortCode: "174379",
                hints: ["passkey": "****", "initiator_name": "api", "transaction_type": "paybill"])),
            at: december - 9_000)
        try apply(Fixtures.stk(1, shillings: 100), at: december - 1)  // November, settles in December
        try apply(Fixtures.stk(2, shillings: 250), at: december)
        try apply(Fixtures.stk(3, shillings: 40), at: december + 1_000)
        try apply(Fixtures.settled(1), at: december + 2_000)
        try apply(Fixtures.settled(2), at: december + 3_000)
        try apply(Fixtures.settled(3, code: "1032"), at: december + 4_000)
        try apply(
            .b2cRequested(.init(
                paymentID: Fixtures.paymentID(4), amount: Amount(shillings: 500), phone: Fixtures.phone,
                command: .businessPayment, remarks: "Salary")), at: december + 86_400_000)
        try apply(Fixtures.settled(4), at: december + 86_401_000)
        try apply(
            .c2bReceived(.init(
                paymentID: Fixtures.paymentID(5), amount: Amount(minorUnits: 7_550), phone: "2547****149",
                mpesaReceipt: "C2BRCP5", accountReference: "A1")), at: december + 86_402_000)
        try apply(.usageRecorded(.init(month: "2026-12", apiCalls: 40)), at: december + 5_000)
        try apply(.usageRecorded(.init(month: "2026-12", apiCalls: 2)), at: december + 6_000)
        for (index, reason) in [TenantEvent.QueryReason.api, .api, .reconciliation].enumerated() {
            try apply(
                .querySent(.init(
                    queryID: QueryID(randomBytes: Fixtures.bytes(UInt64(index), tag: 8)),
                    kind: index == 0 ? .balance : .transactionStatus, reason: reason,
                    conversationID: "AG_\(index)", originatorConversationID: "O_\(index)")),
                at: december + 7_000)
        }

        let usage = try #require(state.usage(month: "2026-12"))
        #expect(usage.apiCalls == 42)
        #expect(usage.count(.stkPushes).count == 2)
        #expect(usage.count(.collectionsSucceeded).count == 2)  // the push of 250 and the C2B of 75.50
        #expect(usage.count(.collectionsSucceeded).volume == Amount(minorUnits: 32_550))
        #expect(usage.count(.payouts).count == 1)
        #expect(usage.count(.payoutsSucceeded).volume == Amount(shillings: 500))
        #expect(usage.count(.c2bPayments).count == 1)
        #expect(usage.count(.reversals).count == 0)
        #expect(usage.count(.balanceChecks).count == 1)
        #expect(usage.count(.statusQueries).count == 1)  // the reconciler's own query is not billed
        #expect(usage.byDay.keys.sorted() == ["2026-12-01", "2026-12-02"])
        #expect(usage.byDay["2026-12-02"]?[.payouts]?.count == 1)
        #expect(usage.byShortCode["174379"]?[.stkPushes]?.count == 2)
        #expect(usage.firstSeq == 4 && usage.lastSeq == 11)

        let november = try #require(state.usage(month: "2026-11"))
        #expect(november.count(.stkPushes).count == 1)
        #expect(november.count(.collectionsSucceeded).volume == Amount(shillings: 100))
        #expect(november.apiCalls == 0)
        #expect(state.usage(month: "2026-13") == nil)
        // A snapshot reads back into the same usage.
        let restored = try TenantState(
            snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        #expect(restored.usage(month: "2026-12") == usage)
    }
}
